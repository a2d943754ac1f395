package io.polystore.order.personaldata;

/**
 * Prints master keysets for the Secret, for operators (see the README's key rotation):
 * {@code new}, {@code rotate <current>} and {@code retire <current>}, each printing the base64 keyset to store.
 */
public final class MasterKeyTool {

    private MasterKeyTool() {
    }

    public static void main(String[] args) {
        String result = switch (args.length == 0 ? "" : args[0]) {
            case "new" -> MasterKey.newKeyset();
            case "rotate" -> MasterKey.rotate(argument(args));
            case "retire" -> MasterKey.retireAllButPrimary(argument(args));
            default -> throw new IllegalArgumentException("usage: MasterKeyTool new | rotate <base64 keyset> | retire <base64 keyset>");
        };
        System.out.println(result);
    }

    private static String argument(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("the current base64 keyset is missing");
        }
        return args[1];
    }
}
