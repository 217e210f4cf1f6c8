# Prints a list of the main build (../binding.gyp, target mitey_jit) for the ASan build to reuse, so
# that the two never drift while the JIT gains source files: `python3 mirror.py sources|defines`.
# gyp files are Python literals; paths are made relative to this folder.
import ast
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, '..', 'binding.gyp')) as f:
    gyp = ast.literal_eval(f.read())
target = next(t for t in gyp['targets'] if t['target_name'] == 'mitey_jit')
key = sys.argv[1]
values = target.get(key, [])
if key == 'sources':
    values = ['../' + s for s in values]
print('\n'.join(values))
