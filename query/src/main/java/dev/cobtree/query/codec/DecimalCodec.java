package dev.cobtree.query.codec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * {@link BigDecimal} at a fixed scale: the key is the unscaled value of the number at that scale,
 * so the range is {@code [Long.MIN_VALUE, Long.MAX_VALUE] * 10^-scale} (at scale 2:
 * -92,233,720,368,547,758.08 to 92,233,720,368,547,758.07). With
 * {@link RoundingMode#UNNECESSARY} the codec is exact and refuses a value that would need
 * rounding; with another mode it rounds (every mode is monotone) and is not exact. Out of range
 * is always refused.
 */
final class DecimalCodec implements KeyCodec<BigDecimal> {

    private final int scale;
    private final RoundingMode mode;

    DecimalCodec(int scale, RoundingMode mode) {
        this.scale = scale;
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    @Override
    public long encode(BigDecimal value) {
        Objects.requireNonNull(value, "value");
        // A value whose magnitude alone is far outside the range is refused before setScale,
        // which would otherwise build a huge unscaled value (1E+1000000000 at scale 2).
        if (value.signum() != 0 && (long) value.precision() - value.scale() > 19L - scale) {
            throw outOfRange(value);
        }
        BigDecimal rounded = value;
        if (value.signum() != 0 && (long) value.scale() - scale > value.precision() + 1L) {
            // Every digit lies more than one place below the codec's scale (|value| < 10^-(scale+1)):
            // any mode rounds it as it rounds a hundredth of a unit of the same sign, and
            // setScale need not divide by a huge power of ten (1E-1000000000 at scale 2).
            rounded = BigDecimal.valueOf(value.signum(), scale + 2); // scale + 2 <= value.scale(): no overflow
        }
        BigDecimal scaled;
        try {
            scaled = rounded.setScale(scale, mode);
        } catch (ArithmeticException e) {
            throw KeyCodecs.refused(value, "it has more than " + scale + " digits after the point (the codec does not round)");
        }
        if (scaled.unscaledValue().bitLength() > 63) {
            throw outOfRange(value);
        }
        return scaled.unscaledValue().longValue();
    }

    private IllegalArgumentException outOfRange(BigDecimal value) {
        return KeyCodecs.refused(value, "outside the codec's range [" + BigDecimal.valueOf(Long.MIN_VALUE, scale).toPlainString()
                + ", " + BigDecimal.valueOf(Long.MAX_VALUE, scale).toPlainString() + "]");
    }

    @Override
    public BigDecimal decode(long key) {
        if (!isExact()) {
            throw new UnsupportedOperationException(this + " rounds: it cannot decode key " + key);
        }
        return BigDecimal.valueOf(key, scale);
    }

    @Override
    public boolean isExact() {
        return mode == RoundingMode.UNNECESSARY;
    }

    @Override
    public long minKey() {
        return Long.MIN_VALUE;
    }

    @Override
    public long maxKey() {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "KeyCodec[BigDecimal scale " + scale + (isExact() ? "" : ", " + mode + ", inexact") + "]";
    }
}
