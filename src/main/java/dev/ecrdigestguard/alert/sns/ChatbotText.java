package dev.ecrdigestguard.alert.sns;

/**
 * Values made inert for AWS Chatbot's {@code client-markdown}: Chatbot hands the text to Slack or Teams, and whether
 * it turns {@code &lt;} back into {@code <} on the way is not documented. So the angle brackets of a value become
 * the look-alike single guillemets, which no chat client reads as markup: a rule description
 * {@code <!channel> <https://x|click>} can neither ping a channel nor hide a link.
 */
final class ChatbotText {

    private ChatbotText() {
    }

    static String inert(String text) {
        return text.replace('<', '\u2039').replace('>', '\u203a');
    }
}
