"""Line numbers for key paths in a TOML document, which ``tomllib`` does not keep.

Runs only on text that already parsed, so it can be lenient: it walks the document once and
records the line where each table, array element and key starts.
"""

from __future__ import annotations

KeyPath = tuple["str | int", ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.array_table_index: dict[KeyPath, int] = {}

    # -- low-level movement -------------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.text[j] if j < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.i < len(self.text):
                if self.text[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def skip_spaces(self, newlines: bool) -> None:
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.i += 1
            else:
                return

    def skip_to_line_end(self) -> None:
        while self.i < len(self.text) and self.text[self.i] != "\n":
            self.i += 1

    def read_string(self) -> str:
        """Consume any of TOML's four string forms and return its raw content."""
        quote = self.peek()
        triple = self.text.startswith(quote * 3, self.i)
        delimiter = quote * 3 if triple else quote
        self.advance(len(delimiter))
        start = self.i
        search_from = start
        while True:
            end = self.text.find(delimiter, search_from)
            if end < 0:
                end = len(self.text)
                break
            backslashes = 0
            while quote == '"' and end - backslashes - 1 >= start and self.text[end - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                break
            search_from = end + 1
        self.line += self.text.count("\n", self.i, end)
        self.i = end
        content = self.text[start:end]
        self.advance(len(delimiter))
        # A closing triple quote may be followed by up to two more quotes of content.
        while triple and self.peek() == quote:
            self.advance()
        return content

    # -- grammar ---------------------------------------------------------------------------
    def read_key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self.skip_spaces(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.read_string())
            else:
                start = self.i
                while self.peek() and self.peek() in _BARE_KEY_CHARS:
                    self.advance()
                if self.i == start:
                    break
                parts.append(self.text[start : self.i])
            self.skip_spaces(newlines=False)
            if self.peek() != ".":
                break
            self.advance()
        return tuple(parts)

    def resolve(self, parts: tuple[str, ...]) -> KeyPath:
        """Turn a header's dotted name into a path, stepping into the latest array element."""
        path: KeyPath = ()
        for part in parts:
            path += (part,)
            if path in self.array_table_index:
                path += (self.array_table_index[path],)
        return path

    def read_value(self, path: KeyPath) -> None:
        self.skip_spaces(newlines=False)
        c = self.peek()
        if c in ('"', "'"):
            self.read_string()
        elif c == "[":
            self.advance()
            index = 0
            while self.i < len(self.text):
                self.skip_spaces(newlines=True)
                if self.peek() in ("]", ""):
                    self.advance()
                    return
                element = path + (index,)
                self.lines.setdefault(element, self.line)
                before = self.i
                self.read_value(element)
                self.skip_spaces(newlines=True)
                if self.peek() == ",":
                    self.advance()
                    index += 1
                elif self.i == before:
                    self.advance()
        elif c == "{":
            self.advance()
            while self.i < len(self.text):
                self.skip_spaces(newlines=True)
                if self.peek() in ("}", ""):
                    self.advance()
                    return
                before = self.i
                self.read_key_value(path)
                self.skip_spaces(newlines=True)
                if self.peek() == ",":
                    self.advance()
                elif self.i == before:
                    self.advance()
        else:
            while self.peek() and self.peek() not in ",]}\n#":
                self.advance()

    def read_key_value(self, table: KeyPath) -> None:
        line = self.line
        key = self.read_key()
        if not key:
            self.skip_to_line_end()
            return
        path = table + key
        self.lines.setdefault(path, line)
        self.skip_spaces(newlines=False)
        if self.peek() == "=":
            self.advance()
            self.read_value(path)

    def read_header(self) -> KeyPath:
        is_array = self.text.startswith("[[", self.i)
        self.advance(2 if is_array else 1)
        parts = self.read_key()
        self.skip_to_line_end()
        if not parts:
            return ()
        if not is_array:
            return self.resolve(parts)
        parent = self.resolve(parts[:-1]) + (parts[-1],)
        self.lines.setdefault(parent, self.line)  # the array itself starts at its first table
        index = self.array_table_index.get(parent, -1) + 1
        self.array_table_index[parent] = index
        return parent + (index,)

    def scan(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        while self.i < len(self.text):
            self.skip_spaces(newlines=True)
            if not self.peek():
                break
            before = self.i
            if self.peek() == "[":
                line = self.line
                table = self.read_header()
                self.lines.setdefault(table, line)
            else:
                self.read_key_value(table)
            if self.i == before:
                self.advance()
        return self.lines


class PositionIndex:
    """Answers "on which line does this key path start?" for one TOML document."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[KeyPath, int] | None = None

    def line_of(self, path: KeyPath) -> int:
        """The line of the path, or of its nearest recorded ancestor; 1 when nothing matches."""
        if self._lines is None:  # scanned on first use: valid files never pay for it
            self._lines = _Scanner(self._text).scan()
        for length in range(len(path), 0, -1):
            line = self._lines.get(tuple(path[:length]))
            if line is not None:
                return line
        return 1
