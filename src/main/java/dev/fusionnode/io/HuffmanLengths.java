package dev.fusionnode.io;

import java.util.PriorityQueue;

/**
 * Huffman code lengths for symbol counts, at most a given number of bits: the tree is built from
 * the counts, and while it is too deep the counts are halved (each used symbol keeps at least one)
 * and it is built again, which flattens it. At least two symbols get a code, so that the code is
 * complete, as zlib's inflater requires.
 */
final class HuffmanLengths {
    private HuffmanLengths() {}

    /** A length for each symbol (0 for a symbol without a code). */
    static int[] of(int[] counts, int maxBits) {
        long[] weights = new long[counts.length];
        int used = 0;
        for (int s = 0; s < counts.length; s++) {
            weights[s] = counts[s];
            used += counts[s] > 0 ? 1 : 0;
        }
        for (int s = 0; used < 2 && s < counts.length; s++) {
            if (weights[s] == 0) {
                weights[s] = 1;
                used++;
            }
        }
        while (true) {
            int[] lengths = build(weights);
            int deepest = 0;
            for (int len : lengths) {
                deepest = Math.max(deepest, len);
            }
            if (deepest <= maxBits) {
                return lengths;
            }
            for (int s = 0; s < weights.length; s++) {
                if (weights[s] > 0) {
                    weights[s] = (weights[s] + 1) / 2;
                }
            }
        }
    }

    /** The depth of each used symbol in a Huffman tree of the weights. */
    private static int[] build(long[] weights) {
        int n = weights.length;
        int[] parent = new int[2 * n];
        long[] nodeWeight = new long[2 * n];
        // a node is its weight and index in one long: ties go to the lower index, so the result
        // is the same every time
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int s = 0; s < n; s++) {
            if (weights[s] > 0) {
                nodeWeight[s] = weights[s];
                queue.add(weights[s] << 20 | s);
            }
        }
        int next = n;
        while (queue.size() > 1) {
            int a = (int) (queue.poll() & 0xFFFFF);
            int b = (int) (queue.poll() & 0xFFFFF);
            nodeWeight[next] = nodeWeight[a] + nodeWeight[b];
            parent[a] = next;
            parent[b] = next;
            queue.add(nodeWeight[next] << 20 | next);
            next++;
        }
        int root = next - 1;
        int[] lengths = new int[n];
        for (int s = 0; s < n; s++) {
            if (weights[s] > 0) {
                int depth = 0;
                for (int node = s; node != root; node = parent[node]) {
                    depth++;
                }
                lengths[s] = depth;
            }
        }
        return lengths;
    }
}
