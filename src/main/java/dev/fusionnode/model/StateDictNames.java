package dev.fusionnode.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mapping between a block tree and PyTorch {@code state_dict} keys. DJL names a child {@code
 * NNname} (two-digit position, then the name given to {@code addChildBlock}); the blocks of this
 * project give PyTorch's attribute names, so the key of a parameter is the path of names without
 * the positions, joined by dots, in PyTorch's order (own parameters first, then children in
 * registration order).
 */
public final class StateDictNames {
    private StateDictNames() {}

    /** Every parameter of {@code root} under its PyTorch key, in {@code state_dict} order. */
    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getValue().getName(), p.getValue());
        }
        for (Pair<String, Block> c : block.getChildren()) {
            collect(c.getValue(), prefix + stripPosition(c.getKey()) + ".", out);
        }
    }

    /** {@code "03blocks"} -> {@code "blocks"}. */
    static String stripPosition(String djlName) {
        if (djlName.length() < 3
                || !Character.isDigit(djlName.charAt(0))
                || !Character.isDigit(djlName.charAt(1))) {
            throw new IllegalStateException("unexpected DJL child name '" + djlName + "'");
        }
        return djlName.substring(2);
    }
}
