/**
 * Typed reader for the CLFT paper's (AIM trainer's) config JSON files ({@code config/zod}, {@code
 * config/iseauto}, {@code config/ensemble}; clft-spec §6): {@link
 * dev.fusionnode.model.config.PaperConfig#read(java.nio.file.Path)}, the model spec, the class
 * relabelling table and weights, and path resolution.
 */
package dev.fusionnode.model.config;
