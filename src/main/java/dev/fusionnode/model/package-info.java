/** The CLFT model in DJL and paper-checkpoint interop; next issue. */
package dev.fusionnode.model;
