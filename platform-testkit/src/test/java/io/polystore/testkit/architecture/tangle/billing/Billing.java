package io.polystore.testkit.architecture.tangle.billing;

import io.polystore.testkit.architecture.tangle.orders.internal.OrderRows;

public class Billing {

    public int bill() {
        return new OrderRows().size();
    }
}
