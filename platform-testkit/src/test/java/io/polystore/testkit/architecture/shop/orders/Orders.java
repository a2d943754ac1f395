package io.polystore.testkit.architecture.shop.orders;

import io.polystore.testkit.architecture.shop.orders.internal.OrderRows;

public class Orders {

    public int count() {
        return new OrderRows().size();
    }
}
