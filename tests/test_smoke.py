def test_smoke(build):
    result = build({"index.md": "# Hi\n\n```{exercise}\nDo it.\n```\n"})
    assert "exercise" in result.html("index").select_one(".admonition")["class"]
