using GaussQuant.Checkpoints;
using GaussQuant.Evaluation.Networks;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>The metric networks an evaluation was given weights for: LPIPS and the FID Inception, or neither.</summary>
internal sealed class EvaluationNetworks : IDisposable
{
    private EvaluationNetworks(Lpips? lpips, FidInceptionV3? inception)
    {
        Lpips = lpips;
        Inception = inception;
    }

    public Lpips? Lpips { get; }

    public FidInceptionV3? Inception { get; }

    /// <summary>Loads each network whose weights the options name (any format <see cref="CheckpointLoader"/> reads), on <paramref name="device"/>.</summary>
    public static EvaluationNetworks Load(EvaluationOptions options, Device device)
    {
        var lpips = options.LpipsWeights is null ? null : LoadLpips(options.LpipsNetwork, options.LpipsWeights, options.LpipsHeads, device);
        try
        {
            return new EvaluationNetworks(lpips, options.FidWeights is null ? null : LoadInception(options.FidWeights, device));
        }
        catch
        {
            lpips?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Lpips?.Dispose();
        Inception?.Dispose();
    }

    private static Lpips LoadLpips(LpipsNetwork network, string backbonePath, string? headsPath, Device device)
    {
        using var backbone = CheckpointLoader.Load(backbonePath);
        using var heads = headsPath is null ? null : CheckpointLoader.Load(headsPath);
        try
        {
            return new Lpips(network, backbone.Tensors, (heads ?? backbone).Tensors, device);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{backbonePath}{(headsPath is null ? "" : $" + {headsPath}")}: {error.Message}", error);
        }
    }

    private static FidInceptionV3 LoadInception(string path, Device device)
    {
        using var weights = CheckpointLoader.Load(path);
        try
        {
            return new FidInceptionV3(weights.Tensors, device);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{path}: {error.Message}", error);
        }
    }
}
