"""Build hook: copy the top-level catalog/ into the wheel as greentactics/_catalog."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalog(build_py):
    """Ship the catalog YAML files inside the package so installed copies find them."""

    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "catalog"
        target = Path(self.build_lib) / "greentactics" / "_catalog"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithCatalog})
