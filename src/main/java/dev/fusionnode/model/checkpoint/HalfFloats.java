package dev.fusionnode.model.checkpoint;

/** Widening of the 16-bit float formats (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloats {
    private HalfFloats() {}

    /** IEEE 754 binary16 bits to float, subnormals, infinities and NaN included. */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float f = mant * 0x1p-24f; // subnormal or zero
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** bfloat16 bits (the upper half of a float32) to float. */
    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
