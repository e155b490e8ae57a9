// The Listen button (issue 3): reads the page's main content aloud with the
// browser's own speech synthesis, in the page's language. The button is
// rendered hidden; it is shown only where the browser can speak, so with
// JavaScript off or no support there is nothing to press.
const button = document.getElementById("listen");
const main = document.querySelector("main");
const speech = window.speechSynthesis;
const lang = document.documentElement.lang || "en";

// A voice for the page's language that speaks on this device. Some browsers'
// default voices send the text to a cloud service, and a page may show a
// person's health details: those voices are never used, and without a local
// voice there is no button.
const localVoice = () => {
  const base = lang.split("-")[0].toLowerCase();
  return speech
    .getVoices()
    .find((v) => v.localService === true && v.lang.toLowerCase().split(/[-_]/)[0] === base);
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
    if (!localVoice()) return undefined;
    speech.cancel();
    // One utterance a paragraph: some voices stop part-way through a long one.
    const parts = main.innerText.split(/\n+/).map((line) => line.trim()).filter(Boolean);
    parts.forEach((text, index) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.voice = localVoice();
      if (index === parts.length - 1) utterance.onend = () => show(false);
      speech.speak(utterance);
    });
    show(parts.length > 0);
  });
  window.addEventListener("pagehide", () => speech.cancel());
  const offer = () => {
    button.hidden = !localVoice();
  };
  speech.addEventListener?.("voiceschanged", offer);
  offer();
}
