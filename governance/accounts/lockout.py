"""django-axes' view of the caller: the same address the rate limits count."""


def client_ip(request):
    from governance.privacy.services import client_address

    return client_address(request)
