package io.polystore.testkit.architecture.shop.billing;

import io.polystore.testkit.architecture.shop.orders.Orders;

public class Billing {

    public int bill(Orders orders) {
        return orders.count();
    }
}
