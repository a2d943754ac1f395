package io.polystore.testkit.architecture.shop;

/** A service that keeps the rules: billing uses orders through its top-level type. */
public class ShopApplication {
}
