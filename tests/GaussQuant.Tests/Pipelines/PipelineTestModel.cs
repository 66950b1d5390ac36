using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Pipelines;

/// <summary>
/// A tiny model with random weights saved to a temporary .safetensors, loaded back as a <see cref="TokenizerModel"/>,
/// and synthetic pictures to feed it. The default config is the fixture small_model.yaml: f = 2, two codebooks of
/// 256 entries per position, resolution 16.
/// </summary>
internal sealed class PipelineTestModel : IDisposable
{
    public static string SmallConfig => TestPaths.Fixture("config", "small_model.yaml");

    private readonly TemporaryFolder folder = new();

    public PipelineTestModel(string? configPath = null)
    {
        ConfigPath = configPath ?? SmallConfig;
        WeightsPath = folder["model.safetensors"];
        using (var model = ModelFactory.Create(ExperimentLoader.Load(ConfigPath).Model))
            SafetensorsFile.Write(WeightsPath, model.state_dict());
        Tokenizer = TokenizerModel.Load(ConfigPath, WeightsPath);
    }

    public string ConfigPath { get; }

    public string WeightsPath { get; }

    public TokenizerModel Tokenizer { get; }

    public Autoencoder Autoencoder => Tokenizer.Model;

    /// <summary>Writes <paramref name="count"/> random-looking PNGs named picture{i}.png into <paramref name="target"/>.</summary>
    public static IReadOnlyList<string> WritePictures(string target, int count, int width = 24, int height = 20, int seed = 0)
    {
        Directory.CreateDirectory(target);
        var random = new Random(seed);
        var paths = new List<string>();
        for (int index = 0; index < count; index++)
        {
            var pixels = new byte[3 * width * height];
            random.NextBytes(pixels);
            string path = Path.Combine(target, $"picture{index}.png");
            ImageEncoder.WritePng(path, new RgbImage(width, height, pixels));
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>A file with an image extension whose bytes are no image.</summary>
    public static string WriteCorrupt(string target, string name = "corrupt.png")
    {
        string path = Path.Combine(target, name);
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5]);
        return path;
    }

    public void Dispose()
    {
        Tokenizer.Dispose();
        folder.Dispose();
    }
}
