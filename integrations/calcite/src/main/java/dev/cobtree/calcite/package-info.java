/**
 * An Apache Calcite adapter over cobtree's {@code TableIndex}: SQL through Calcite's JDBC driver
 * ({@link dev.cobtree.calcite.CobtreeSql#connect}, or a model file with
 * {@link dev.cobtree.calcite.CobtreeSchemaFactory}), with filters on indexed columns answered by
 * index range queries and {@code COUNT(*)} by range counts. docs/SQL.md has the details and the
 * measurements against H2 and DuckDB.
 */
package dev.cobtree.calcite;
