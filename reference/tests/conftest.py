from reference.tests.fixtures import cn_codes

__all__ = ["cn_codes"]
