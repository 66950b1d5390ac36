// TEMPORARY stand-in with the agreed API until the codebook branch lands (replaced at merge).
using TorchSharp;
namespace GaussQuant.Quantization;
public sealed class Codebook
{
    private readonly float[] entries;
    private Codebook(int dimension, float[] entries, int? seed) { Dimension = dimension; this.entries = entries; Size = entries.Length / dimension; Seed = seed; }
    public int Dimension { get; }
    public int Size { get; }
    public int? Seed { get; }
    public ReadOnlyMemory<float> Entries => entries;
    public static Codebook Create(int dimension, int size, int seed = 42)
    {
        var random = new Random(seed);
        var values = new float[dimension * size];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return new Codebook(dimension, values, seed);
    }
    public static Codebook FromEntries(int dimension, float[] entries) => new(dimension, (float[])entries.Clone(), null);
    public torch.Tensor ToTensor(torch.Device? device = null) => torch.tensor(entries, new long[] { Size, Dimension }, device: device);
}
