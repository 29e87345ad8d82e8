/**
 * The node itself: its configuration ({@link dev.fusionnode.node.NodeOptions}) and the topology of
 * stages a role deploys ({@link dev.fusionnode.node.NodeRuntime}).
 */
package dev.fusionnode.node;
