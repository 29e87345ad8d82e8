/**
 * The configuration toolkit: configuration errors, enum names and the entries {@code fusion-node
 * config} prints. Each stage keeps its own options record beside it.
 */
package dev.fusionnode.config;
