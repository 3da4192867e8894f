"""Headlines of real events, for the story tests and the pages that show stories."""

EVENT_A = [
    "Turkey blocks Twitter ahead of local elections",
    "Twitter banned in Turkey after Erdogan threat",
    "Turkish users dodge Twitter ban with DNS tricks",
    "Erdogan vows to eradicate Twitter as Turkey ban bites",
]
EVENT_B = [
    "Peaches Geldof dies aged 25",
    "Fifi Geldof pays tribute to sister Peaches",
    "Police investigate sudden death of Peaches Geldof",
]
