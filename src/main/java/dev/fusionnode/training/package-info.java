/** Fine-tuning on accumulated annotated frames; later issue. */
package dev.fusionnode.training;
