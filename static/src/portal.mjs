// Only the NHS.UK frontend behaviours our pages use; every page works without them.
import {
  initCharacterCounts,
  initCheckboxes,
  initErrorSummary,
  initHeader,
  initRadios,
  initSkipLinks,
} from "nhsuk-frontend";
import { dropAriaExpandedFromChoices } from "./aria-expanded.mjs";
import { initTimeoutWarning } from "./timeout-warning.mjs";

initHeader();
initSkipLinks();
initErrorSummary();
initRadios();
initCheckboxes();
dropAriaExpandedFromChoices();
initCharacterCounts();
initTimeoutWarning();
