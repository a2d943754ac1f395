package io.polystore.testkit.architecture.tangle.orders;

import io.polystore.testkit.architecture.tangle.billing.Billing;

public class Orders {

    public Billing billing() {
        return new Billing();
    }
}
