"""Image datasets: x_train, y_train, x_test, y_test as uint8 arrays from verified original files.

`catalog` is plain data (the Snakefile reads it); `build` needs torchvision.

May import: the foundation only.
"""
