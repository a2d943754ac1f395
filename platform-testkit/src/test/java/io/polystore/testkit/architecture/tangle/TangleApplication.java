package io.polystore.testkit.architecture.tangle;

/** A service that breaks the rules: billing reaches into orders' internals, and orders and billing use each other. */
public class TangleApplication {
}
