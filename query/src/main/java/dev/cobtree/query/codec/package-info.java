/**
 * Order-preserving key codecs: {@link dev.cobtree.query.codec.KeyCodec} maps column values
 * ({@code int}, {@code double}, {@code Instant}, {@code LocalDate}, enums, {@code UUID},
 * {@code BigDecimal}, {@code String}, ...) to {@code long} keys whose signed order is the value
 * order, so they can be stored in a {@code CobTree} or a {@code SecondaryIndex}.
 * {@link dev.cobtree.query.codec.KeyCodecs} holds the factories;
 * {@link dev.cobtree.query.codec.OrderedDictionary} is the exact codec for low-cardinality
 * strings. docs/QUERY.md ("Key codecs") states each codec's order, exactness, range and errors.
 */
package dev.cobtree.query.codec;
