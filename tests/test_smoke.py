from tests.helpers import make_consultation


def test_start_page(client, app):
    make_consultation()
    page = client.get("/c/transport-test")
    assert page.status_code == 200, page.get_data(as_text=True)
    assert "Test consultation on transport" in page.get_data(as_text=True)
