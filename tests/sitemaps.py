"""Reading the sitemap as a crawler does: the index, then every file it lists."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_files(client):
    """[(path, XML bytes)] of each file /sitemap.xml lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    files = []
    for loc in ET.fromstring(index.content).findall("s:sitemap/s:loc", NS):
        url = urlsplit(loc.text)
        path = f"{url.path}?{url.query}" if url.query else url.path
        response = client.get(path)
        assert response.status_code == 200, path
        files.append((path, response.content))
    return files


def sitemap_urls(client):
    """Every <url> element of every file."""
    return [
        url for _, xml in sitemap_files(client) for url in ET.fromstring(xml).findall("s:url", NS)
    ]
