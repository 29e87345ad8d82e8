package dev.fusionnode.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectPickler;
import net.razorvine.pickle.Pickler;

/**
 * Writes Python pickles of dicts holding numpy arrays, the way numpy itself pickles an {@code
 * ndarray} ({@code numpy.core.multiarray._reconstruct} + {@code __setstate__}), so {@code
 * pickle.load} with numpy 1.x or 2.x returns real arrays. {@code net.razorvine.pickle} writes the
 * dict, keys and framing; this class adds the ndarray reduction it does not know.
 */
public final class NumpyPickleWriter {
    private static final byte GLOBAL = 'c';
    private static final byte MARK = '(';
    private static final byte TUPLE = 't';
    private static final byte TUPLE1 = (byte) 0x85;
    private static final byte TUPLE3 = (byte) 0x87;
    private static final byte REDUCE = 'R';
    private static final byte BUILD = 'b';
    private static final byte BININT = 'J';
    private static final byte BININT1 = 'K';
    private static final byte NONE = 'N';
    private static final byte NEWTRUE = (byte) 0x88;
    private static final byte NEWFALSE = (byte) 0x89;
    private static final byte SHORT_BINBYTES = 'C';
    private static final byte BINBYTES = 'B';
    private static final byte SHORT_BINUNICODE = (byte) 0x8c;

    static {
        Pickler.registerCustomPickler(NumpyArray.class, new ArrayPickler());
    }

    private NumpyPickleWriter() {}

    /** Pickles {@code dict} (insertion order kept; values: arrays, strings, numbers). */
    public static byte[] dumps(Map<String, ?> dict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new Pickler(false).dump(new LinkedHashMap<>(dict), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final class ArrayPickler implements IObjectPickler {
        @Override
        public void pickle(Object o, OutputStream out, Pickler pickler) throws IOException {
            NumpyArray a = (NumpyArray) o;
            global(out, "numpy.core.multiarray", "_reconstruct");
            global(out, "numpy", "ndarray");
            out.write(BININT1);
            out.write(0);
            out.write(TUPLE1);
            out.write(SHORT_BINBYTES);
            out.write(1);
            out.write('b');
            out.write(TUPLE3);
            out.write(REDUCE);
            // state: (version 1, shape, dtype, is_fortran, raw bytes)
            out.write(MARK);
            out.write(BININT1);
            out.write(1);
            out.write(MARK);
            for (int d : a.shape()) {
                binint(out, d);
            }
            out.write(TUPLE);
            dtype(out, a);
            out.write(a.fortranOrder() ? NEWTRUE : NEWFALSE);
            byte[] data = a.rawData();
            if (data.length < 256) {
                out.write(SHORT_BINBYTES);
                out.write(data.length);
            } else {
                out.write(BINBYTES);
                int4(out, data.length);
            }
            out.write(data);
            out.write(TUPLE);
            out.write(BUILD);
        }

        /**
         * {@code numpy.dtype('f4', False, True)} with state {@code (3, '<', None x3, -1, -1, 0)}.
         */
        private static void dtype(OutputStream out, NumpyArray a) throws IOException {
            global(out, "numpy", "dtype");
            unicode(out, String.valueOf(a.kind()) + a.itemSize());
            out.write(NEWFALSE);
            out.write(NEWTRUE);
            out.write(TUPLE3);
            out.write(REDUCE);
            out.write(MARK);
            out.write(BININT1);
            out.write(3);
            String order =
                    a.itemSize() == 1 ? "|" : a.byteOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
            unicode(out, order);
            out.write(NONE);
            out.write(NONE);
            out.write(NONE);
            binint(out, -1);
            binint(out, -1);
            out.write(BININT1);
            out.write(0);
            out.write(TUPLE);
            out.write(BUILD);
        }

        private static void global(OutputStream out, String module, String name)
                throws IOException {
            out.write(GLOBAL);
            out.write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        private static void unicode(OutputStream out, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(SHORT_BINUNICODE);
            out.write(b.length);
            out.write(b);
        }

        private static void binint(OutputStream out, int v) throws IOException {
            out.write(BININT);
            int4(out, v);
        }

        private static void int4(OutputStream out, int v) throws IOException {
            out.write(v & 0xFF);
            out.write((v >>> 8) & 0xFF);
            out.write((v >>> 16) & 0xFF);
            out.write((v >>> 24) & 0xFF);
        }
    }
}
