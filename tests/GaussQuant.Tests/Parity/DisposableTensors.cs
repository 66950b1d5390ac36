using static TorchSharp.torch;

namespace GaussQuant.Tests.Parity;

/// <summary>Tensors read from a fixture file, disposed together.</summary>
internal sealed class DisposableTensors(Dictionary<string, Tensor> tensors) : IDisposable
{
    public Tensor this[string key] => tensors[key];

    public bool Contains(string key) => tensors.ContainsKey(key);

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }
}
