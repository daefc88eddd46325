"""What the browser journeys share: a way to act on the page (with the mouse or with the
keyboard alone) and the checks every page of a journey passes.

A journey is written once against ``Driver`` and run twice: with the mouse, photographing
each key page at 1,280 and 375 px, running axe-core (WCAG 2.1 AA) at both widths and
checking the page at 200% zoom; and with the keyboard alone, asserting that every control
it uses is reached by Tab or Shift+Tab and shows where the focus is.
"""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 375)
# 200% zoom in a 1,280 px window lays the page out in 640 CSS pixels (the device pixel
# ratio only sharpens the drawing; it changes nothing about what fits).
ZOOMED_WIDTH = 640
HEIGHT = 900
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Far more than any page needs: a control not reached by then is not reachable.
MAX_PRESSES = 400

# What would lose meaning at 200% zoom: a page wider than the window, text cut off by a box
# that hides its overflow (the one-pixel "visually hidden" texts are meant for screen
# readers and excluded), a main heading or a menu out of sight.
ZOOM_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5).map((el) => `${el.tagName}.${el.className}`);
    problems.push(`scrolls sideways: ${root.scrollWidth} > ${window.innerWidth} (${wide})`);
  }
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    const hides = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    if (!hides || el.clientWidth <= 1 || !el.textContent.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const text = el.textContent.trim().slice(0, 40);
      problems.push(`clips its text: ${el.tagName}.${el.className} "${text}"`);
    }
  }
  const visible = (el) => {
    if (!el) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth + 0.5
      && style.visibility !== "hidden" && style.display !== "none";
  };
  if (!visible(document.querySelector("h1"))) problems.push("the main heading is out of sight");
  for (const nav of document.querySelectorAll("header nav")) {
    const name = nav.getAttribute("aria-label");
    if (!visible(nav)) problems.push(`the menu "${name}" is out of sight`);
  }
  return problems;
}"""

# Reflow (WCAG 1.4.10) at each width photographed.
SCROLLS_SIDEWAYS = """() => {
  const width = document.documentElement.scrollWidth;
  return width > window.innerWidth ? `scrolls sideways: ${width} > ${window.innerWidth}` : "";
}"""
IS_FOCUSED = "(el) => el === document.activeElement"
# Where the focus is must show: an outline or a box shadow (WCAG 2.4.7).
FOCUS_INDICATOR = """(el) => {
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""
# Whether the target lies before the focused element, so Shift+Tab is the shorter way.
LIES_BEFORE_FOCUS = """(el) => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return false;
  return Boolean(focused.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
}"""


class Driver:
    """Acts on the page with the mouse; ``KeyboardDriver`` does the same with keys alone."""

    keyboard = False

    def __init__(self, page, journey: str):
        self.page = page
        self.journey = journey
        self.pages_checked: list[str] = []
        self.violations: dict[str, str] = {}
        self.layout_problems: dict[str, list[str]] = {}
        self.folder = ARTIFACTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    # Acting ---------------------------------------------------------------------------

    def follow(self, locator, *, navigates: bool = True) -> None:
        """Follow a link or press a button; unless told otherwise, wait for the next page."""
        self._activate(locator, lambda: locator.click(), navigates)

    def _activate(self, locator, action, navigates: bool) -> None:
        if not navigates:
            action()
            return
        with self.page.expect_navigation():
            action()

    def type(self, locator, text: str) -> None:
        locator.fill(text)

    def choose(self, locator, label: str) -> None:
        locator.select_option(label=label)

    def tick(self, locator) -> None:
        locator.check()

    def date(self, locator, day) -> None:
        locator.fill(day.isoformat())

    def moment(self, locator, when) -> None:
        locator.fill(when.strftime("%Y-%m-%dT%H:%M"))

    def attach(self, locator, files) -> None:
        locator.set_input_files(files)

    def arrive(self, url: str) -> None:
        """Wait for the page at ``url``; a fragment does not count (the keyboard's skip link
        adds ``#main``, and a redirect keeps the fragment of the page it came from)."""
        self.page.wait_for_url(lambda address: address.split("#")[0] == url)

    # Checking -------------------------------------------------------------------------

    def check(self, name: str) -> None:
        """Photograph the page at both widths, run axe at each, and look at it zoomed."""
        step = len(self.pages_checked) + 1
        self.pages_checked.append(name)
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": HEIGHT})
            self.page.screenshot(
                path=str(self.folder / f"{step:02d}-{name}-{width}.png"), full_page=True
            )
            results = Axe().run(
                self.page,
                options={
                    "runOnly": {"type": "tag", "values": WCAG_21_AA},
                    "resultTypes": ["violations"],
                },
            )
            if results.violations_count:
                self.violations[f"{name} at {width} px"] = results.generate_report()
            wide = self.page.evaluate(SCROLLS_SIDEWAYS)
            if wide:
                self.layout_problems[f"{name} at {width} px"] = [wide]
        self.page.set_viewport_size({"width": ZOOMED_WIDTH, "height": HEIGHT // 2})
        problems = self.page.evaluate(ZOOM_PROBLEMS)
        if problems:
            self.layout_problems[f"{name} at 200% zoom"] = problems
        self.page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})

    def assert_all_pages_passed(self) -> None:
        assert self.violations == {}, "\n\n".join(
            f"{where}:\n{report}" for where, report in self.violations.items()
        )
        assert self.layout_problems == {}, self.layout_problems
        screenshots = list(self.folder.glob("*.png"))
        assert len(screenshots) == len(WIDTHS) * len(self.pages_checked)


class KeyboardDriver(Driver):
    """The keyboard alone: Tab and Shift+Tab to reach a control, then Enter, Space, typing
    or arrow keys. No click, no ``fill``; a file is set on the file input once the keyboard
    has focused it, since headless Chromium opens no file chooser to drive."""

    keyboard = True

    def __init__(self, page, journey: str):
        self.page = page
        self.journey = journey
        self.pages_checked = []
        self.presses = 0

    def focus(self, locator) -> None:
        """Tab (or Shift+Tab, whichever way is shorter) until ``locator`` has the focus;
        from the top of a page, through the skip link to the main content first."""
        target = locator.element_handle()
        keyboard = self.page.keyboard
        at_top = self.page.evaluate("document.activeElement === document.body")
        in_main = target.evaluate("(el) => Boolean(el.closest('main'))")
        if at_top and in_main:
            keyboard.press("Tab")
            assert self.page.evaluate("document.activeElement.className") == "skip-link"
            keyboard.press("Enter")
            self.presses += 2
        key = "Shift+Tab" if target.evaluate(LIES_BEFORE_FOCUS) else "Tab"
        for _ in range(MAX_PRESSES):
            if target.evaluate(IS_FOCUSED):
                break
            keyboard.press(key)
            self.presses += 1
        else:
            raise AssertionError(f"{MAX_PRESSES} presses of {key} never reached {locator}")
        assert target.evaluate(FOCUS_INDICATOR), f"no visible focus on {locator}"

    def follow(self, locator, *, navigates: bool = True) -> None:
        self.focus(locator)
        self._activate(locator, lambda: self.page.keyboard.press("Enter"), navigates)

    def type(self, locator, text: str) -> None:
        self.focus(locator)
        keyboard = self.page.keyboard
        keyboard.press("ControlOrMeta+a")
        keyboard.press("Delete")
        keyboard.type(text)

    def choose(self, locator, label: str) -> None:
        """Type the option's first word (the select's own type-ahead), then arrow down."""
        self.focus(locator)
        self.page.keyboard.type(re.split(r"\s", label, maxsplit=1)[0])
        for _ in range(MAX_PRESSES):
            chosen = locator.evaluate("(el) => el.selectedOptions[0]?.label || ''")
            if chosen == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"the option {label!r} was never chosen in {locator}")

    def tick(self, locator) -> None:
        self.focus(locator)
        if not locator.is_checked():
            self.page.keyboard.press("Space")
        assert locator.is_checked()

    def date(self, locator, day) -> None:
        # Chromium's date field takes its parts in the order of its locale (en-US here).
        self.focus(locator)
        self.page.keyboard.type(day.strftime("%m%d%Y"))

    def moment(self, locator, when) -> None:
        self.focus(locator)
        keyboard = self.page.keyboard
        keyboard.type(when.strftime("%m%d%Y"))
        keyboard.press("ArrowRight")
        keyboard.type(when.strftime("%I%M") + when.strftime("%p")[0])

    def attach(self, locator, files) -> None:
        self.focus(locator)
        # Space on the focused input would open the system's file chooser, which headless
        # Chromium cannot show: the file is handed to the input the keyboard has reached.
        locator.set_input_files(files)

    def check(self, name: str) -> None:
        self.pages_checked.append(name)

    def assert_all_pages_passed(self) -> None:
        assert self.pages_checked


DRIVERS = {"mouse": Driver, "keyboard": KeyboardDriver}
