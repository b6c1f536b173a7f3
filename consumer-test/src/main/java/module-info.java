/** A user's application module: reads cobtree's query module (and through it the core's). */
module dev.cobtree.consumer {
    requires dev.cobtree.query;

    exports dev.cobtree.consumer;
}
