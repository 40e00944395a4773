from reference.tests.fixtures import cn_codes, cn_codes_of_the_module

__all__ = ["cn_codes", "cn_codes_of_the_module"]
