package dev.fusionnode.model.checkpoint;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The unpickler of a checkpoint's {@code data.pkl}: razorvine's pickle machine with every opcode
 * that can name or build a class replaced by an allowlist, like {@code torch.load(weights_only=
 * True)}. Only {@link TorchGlobal}s and storage classes (inside persistent ids) are accepted;
 * anything else is refused before it is looked up. Dicts keep their order ({@link LinkedHashMap}).
 */
final class TorchUnpickler extends Unpickler {
    private static final short GLOBAL = 'c';
    private static final short STACK_GLOBAL = 0x93;
    private static final short REDUCE = 'R';
    private static final short BUILD = 'b';
    private static final short NEWOBJ = 0x81;
    private static final short NEWOBJ_EX = 0x92;
    private static final short EMPTY_DICT = '}';
    private static final short DICT = 'd';
    private static final short SETITEMS = 'u';
    private static final short PERSID = 'P';
    private static final short INST = 'i';
    private static final short OBJ = 'o';
    private static final short EXT1 = 0x82;
    private static final short EXT2 = 0x83;
    private static final short EXT4 = 0x84;

    /** Reads storage records by key. */
    interface StorageSource {
        Storage read(TorchDType dtype, String key, long numel);
    }

    /** A storage class such as {@code torch.FloatStorage}: valid only inside a persistent id. */
    private record StorageClass(TorchDType dtype, String name) {}

    private final String source;
    private final StorageSource storages;
    private final Map<String, Storage> loaded = new HashMap<>();

    TorchUnpickler(String source, StorageSource storages) {
        this.source = source;
        this.storages = storages;
    }

    /** {@inheritDoc} */
    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case GLOBAL -> stack.add(resolve(readLine(), readLine()));
            case STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
            }
            case REDUCE -> {
                Object args = stack.pop();
                stack.add(call(stack.pop(), args));
            }
            case NEWOBJ -> {
                Object args = stack.pop();
                stack.add(call(stack.pop(), args));
            }
            case NEWOBJ_EX -> {
                Object kwargs = stack.pop();
                Object args = stack.pop();
                if (!(kwargs instanceof Map<?, ?> m) || !m.isEmpty()) {
                    throw bad("NEWOBJ_EX with keyword arguments is not allowed");
                }
                stack.add(call(stack.pop(), args));
            }
            case BUILD -> build(stack.pop(), stack.peek());
            case EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case DICT -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                putPairs(map, stack.pop_all_since_marker());
                stack.add(map);
            }
            case SETITEMS -> {
                List<Object> pairs = stack.pop_all_since_marker();
                if (!(stack.peek() instanceof Map<?, ?> target)) {
                    throw bad("SETITEMS on a " + typeName(stack.peek()));
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> map = (Map<Object, Object>) target;
                putPairs(map, pairs);
            }
            case PERSID -> throw bad("protocol-0 persistent ids are not PyTorch's format");
            case INST, OBJ -> throw bad("the pickle instantiates a class (opcode INST/OBJ)");
            case EXT1, EXT2, EXT4 -> throw bad("the pickle uses the extension registry (EXT)");
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    private Object resolve(String module, String name) {
        TorchGlobal g = TorchGlobal.find(module, name);
        if (g != null) {
            return g;
        }
        if ("torch".equals(module) || "torch.storage".equals(module)) {
            var dtype = TorchDType.fromStorageName(name);
            if (dtype.isPresent()) {
                return new StorageClass(dtype.get(), module + "." + name);
            }
        }
        throw bad(
                "data.pkl references the global '"
                        + module
                        + "."
                        + name
                        + "'; a checkpoint may only hold tensors, OrderedDicts and plain values"
                        + " (as torch.load(weights_only=True) allows), so it is refused: it could"
                        + " run code");
    }

    private Object call(Object callable, Object args) {
        if (!(callable instanceof TorchGlobal g)) {
            throw bad("the pickle calls a " + typeName(callable) + ", not an allowed function");
        }
        Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
        try {
            return g.call(a);
        } catch (IllegalArgumentException
                | ClassCastException
                | IndexOutOfBoundsException
                | NullPointerException
                | ArithmeticException e) {
            throw bad(g.pythonName() + " with unexpected arguments: " + e.getMessage());
        }
    }

    /** BUILD sets Python attributes: only an OrderedDict's {@code _metadata} (dropped). */
    private void build(Object state, Object target) {
        if (!(target instanceof Map<?, ?>) || !(state instanceof Map<?, ?>)) {
            throw bad("BUILD on a " + typeName(target) + " is not allowed");
        }
    }

    private void putPairs(Map<Object, Object> map, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw bad("odd number of dict items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected Object persistentLoad(Object pid) {
        // ('storage', storage class, key, location, numel)
        if (!(pid instanceof Object[] t)
                || t.length != 5
                || !"storage".equals(t[0])
                || !(t[1] instanceof StorageClass cls)
                || !(t[2] instanceof String key)
                || !(t[4] instanceof Number numel)) {
            throw bad("unexpected persistent id " + describe(pid));
        }
        Storage s =
                loaded.computeIfAbsent(key, k -> storages.read(cls.dtype(), k, numel.longValue()));
        if (s.dtype() != cls.dtype() || s.numel() != numel.longValue()) {
            throw bad("storage " + key + " is referenced with two types or sizes");
        }
        return s;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = input.read(); b != '\n'; b = input.read()) {
            if (b < 0) {
                throw new PickleException("end of data inside a GLOBAL opcode");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(o);
    }

    static String typeName(Object o) {
        if (o instanceof StorageClass c) {
            return "storage class " + c.name();
        }
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private BadInputException bad(String problem) {
        return new BadInputException(BadInputReason.MALFORMED_CHECKPOINT, source, problem);
    }
}
