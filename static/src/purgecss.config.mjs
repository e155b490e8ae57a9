// PurgeCSS keeps a rule only if a class it names appears in a page's sources
// (portal.assets lists them). These patterns keep what the sources build at run
// time: sizes a macro joins from params, widths, error and hidden states, and
// the classes the page's inline script puts on <body>. Unused custom properties,
// keyframes and font faces go too.
export default {
  safelist: {
    standard: [
      "js-enabled",
      "nhsuk-frontend-supported",
      /^nhsuk-(heading|caption|body|label|fieldset__legend)-{1,2}(xxs|xs|s|m|l|xl)$/,
      /^nhsuk-input--width-/,
      /^nhsuk-u-width-/,
      /^nhsuk-grid-column-/,
      /--error$/,
      /--hidden$/,
      /^nhsuk-header/,
    ],
    greedy: [/nhsuk-frontend-supported/, /js-enabled/],
    // NHS.UK JavaScript reads the breakpoints from `:root` (getBreakpoint).
    variables: [/^--nhsuk-breakpoint-/],
  },
  keyframes: true,
  fontFace: true,
  variables: true,
};
