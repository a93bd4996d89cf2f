package demo.a;

/** Service a: compiled, tested and packaged before the deploy-phase goals. */
public final class ServiceA {
  public static void main(String[] args) {
    System.out.println("service a");
  }

  static String name() {
    return "service a";
  }
}
