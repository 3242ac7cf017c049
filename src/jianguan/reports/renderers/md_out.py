def render(report, **options) -> bytes:
    # The template text is already Markdown (# title, ## headings, paragraphs): paste-ready.
    return report.text.replace("\n", "\n\n").replace("\n\n\n\n", "\n\n").strip().encode("utf-8") + b"\n"
