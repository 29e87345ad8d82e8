/** The {@code fusion-node} command line (picocli): one class per command, shared option mixins. */
package dev.fusionnode.cli;
