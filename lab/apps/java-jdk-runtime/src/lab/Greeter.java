package lab;

/** Prints a greeting and the Java feature version: a jar built in one stage, run in another. */
public class Greeter {
    public static void main(String[] args) {
        System.out.println("greeter runs on java=" + Runtime.version().feature());
    }
}
