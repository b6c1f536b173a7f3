package dev.cobtree.query;

/** The direction of a scan. */
public enum Order {
    /** Smallest key first. */
    ASCENDING,
    /** Largest key first. */
    DESCENDING
}
