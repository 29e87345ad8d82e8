/**
 * DJL building blocks named and shaped as their PyTorch counterparts ({@code weight}, {@code bias}
 * with PyTorch's shapes), so that a block tree maps one-to-one onto a PyTorch {@code state_dict}
 * (see {@link dev.fusionnode.model.StateDictNames}). Every parameter has a fixed shape at
 * construction: no shape inference is needed to initialise or load a model.
 */
package dev.fusionnode.model.nn;
