/**
 * The annotated-frame store: frames with annotations kept on disk in the ZOD dataset layout, so
 * that the store is itself a dataset the trainer reads; crash-safe and bounded by size.
 */
package dev.fusionnode.learning.store;
