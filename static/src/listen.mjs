// The Listen button (issue 3): reads the page's main content aloud with the
// browser's own speech synthesis, in the page's language. The button is
// rendered hidden; it is shown only where the browser can speak, so with
// JavaScript off or no support there is nothing to press.
const button = document.getElementById("listen");
const main = document.querySelector("main");
const speech = window.speechSynthesis;
const lang = document.documentElement.lang || "en";

// A voice for the page's language, or (before voices load) none known yet.
const hasVoice = () => {
  const voices = speech.getVoices();
  const base = lang.split("-")[0].toLowerCase();
  return voices.length === 0 || voices.some((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base);
};

if (button && main && speech && typeof window.SpeechSynthesisUtterance === "function") {
  const labels = { listen: button.textContent.trim(), stop: button.dataset.stopLabel };
  let speaking = false;
  const show = (now) => {
    speaking = now;
    button.textContent = now ? labels.stop : labels.listen;
  };
  const stop = () => {
    speech.cancel();
    show(false);
  };

  button.addEventListener("click", () => {
    if (speaking) return stop();
    speech.cancel();
    // One utterance a paragraph: some voices stop part-way through a long one.
    const parts = main.innerText.split(/\n+/).map((line) => line.trim()).filter(Boolean);
    parts.forEach((text, index) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      if (index === parts.length - 1) utterance.onend = () => show(false);
      speech.speak(utterance);
    });
    show(parts.length > 0);
  });
  window.addEventListener("pagehide", () => speech.cancel());
  const offer = () => {
    button.hidden = !hasVoice();
  };
  speech.addEventListener?.("voiceschanged", offer);
  offer();
}
