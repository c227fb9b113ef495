"""Payments taken through a provider (付款码 scan-to-pay) and the providers' statements (对账).

``base`` is the one interface every provider adapter implements (WeChat Pay micropay, Alipay
当面付 bar code, the simulator, later UnionPay) and the statement line every statement parser
produces. Merchant credentials live here, on the upstream, never on a hall PC.
"""
