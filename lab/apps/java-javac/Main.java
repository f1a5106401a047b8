import java.util.Map;
import java.util.TreeMap;

/** Counts the words of a fixed sentence: compiled with plain javac, no build tool. */
public class Main {
    public static void main(String[] args) {
        String text = args.length > 0 ? String.join(" ", args) : "the lab builds the image and the lab runs it";
        Map<String, Integer> counts = new TreeMap<>();
        for (String word : text.split("\\s+")) {
            counts.merge(word, 1, Integer::sum);
        }
        System.out.println("words=" + counts + " java=" + Runtime.version().feature());
    }
}
