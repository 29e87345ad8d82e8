package dev.fusionnode.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectPickler;
import net.razorvine.pickle.Pickler;

/**
 * Pickles an object tree as {@code torch.save} does (protocol 2): razorvine writes the plain
 * values; this adds {@code collections.OrderedDict} for {@link LinkedHashMap} and {@code
 * _rebuild_tensor_v2} with a {@code ('storage', torch.XxxStorage, key, 'cpu', numel)} persistent id
 * for {@link TorchTensor}. The picklers live on this instance, not in razorvine's global registry.
 * Each distinct tensor instance gets one storage, in first-use order.
 */
final class TorchPickler extends Pickler {
    private static final int MARK = '(';
    private static final int TUPLE = 't';
    private static final int EMPTY_TUPLE = ')';
    private static final int REDUCE = 'R';
    private static final int BINPERSID = 'Q';
    private static final int SETITEMS = 'u';

    private final Map<TorchTensor, String> keys = new IdentityHashMap<>();
    private final List<TorchTensor> storages = new ArrayList<>();
    private final IObjectPickler tensorPickler = (o, out, p) -> tensor((TorchTensor) o, out);
    private final IObjectPickler orderedDictPickler =
            (o, out, p) -> orderedDict((Map<?, ?>) o, out);

    TorchPickler() {
        super(true, false); // memo by identity, never by equal value
    }

    /** Pickles {@code tree}; {@link #storages()} then lists the tensors to write, key = index. */
    byte[] pickle(Object tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dump(tree, out);
        return out.toByteArray();
    }

    /** The tensors of the last pickle; tensor {@code i} is storage record {@code data/i}. */
    List<TorchTensor> storages() {
        return storages;
    }

    /** {@inheritDoc} */
    @Override
    protected IObjectPickler getCustomPickler(Class<?> t) {
        if (t == TorchTensor.class) {
            return tensorPickler;
        }
        return t == LinkedHashMap.class ? orderedDictPickler : null;
    }

    private void tensor(TorchTensor t, OutputStream out) throws IOException {
        String key = keys.get(t);
        if (key == null) {
            key = String.valueOf(storages.size());
            keys.put(t, key);
            storages.add(t);
        }
        long[] shape = t.shape();
        Object[] size = new Object[shape.length];
        Object[] stride = new Object[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            size[d] = shape[d];
            stride[d] = step;
            step *= Math.max(shape[d], 1);
        }
        global(out, "torch._utils", "_rebuild_tensor_v2");
        out.write(MARK);
        out.write(MARK);
        save("storage");
        global(out, "torch", t.dtype().storageName());
        save(key);
        save("cpu");
        save(t.numel());
        out.write(TUPLE);
        out.write(BINPERSID);
        save(0);
        save(size);
        save(stride);
        save(Boolean.FALSE);
        emptyOrderedDict(out); // backward hooks
        out.write(TUPLE);
        out.write(REDUCE);
    }

    private void orderedDict(Map<?, ?> map, OutputStream out) throws IOException {
        emptyOrderedDict(out);
        if (!map.isEmpty()) {
            out.write(MARK);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                save(e.getKey());
                save(e.getValue());
            }
            out.write(SETITEMS);
        }
    }

    private static void emptyOrderedDict(OutputStream out) throws IOException {
        global(out, "collections", "OrderedDict");
        out.write(EMPTY_TUPLE);
        out.write(REDUCE);
    }

    private static void global(OutputStream out, String module, String name) throws IOException {
        out.write('c');
        out.write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
