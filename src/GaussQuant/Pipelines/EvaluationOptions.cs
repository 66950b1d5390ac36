using GaussQuant.Distributed;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>What <see cref="EvaluationPipeline"/> measures, on which images, with which metric networks.</summary>
public sealed record EvaluationOptions
{
    /// <summary>A folder searched recursively for images (sorted by path), a <c>.txt</c> list of images, or one image.</summary>
    public required string Data { get; init; }

    /// <summary>S: shorter side resized to S, then the centre S×S (the authors' eval transform); null: the config's resolution.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Only the first N files of the list (skipped ones are not replaced); null: all.</summary>
    public int? Limit { get; init; }

    /// <summary>Which reconstructions are measured: the quantized latent (<see cref="ReconstructionMode.Vq"/>) and/or the posterior mean.</summary>
    public IReadOnlyList<ReconstructionMode> Modes { get; init; } = [ReconstructionMode.Vq, ReconstructionMode.Mean];

    /// <summary>Images per forward pass (the authors evaluate with 16 per GPU); null: as many as fit the memory budget at the image size (<see cref="DefaultBatchSize"/>).</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// LPIPS backbone weights (torchvision <c>alexnet-owt-7be5be79.pth</c> / <c>vgg16-397923af.pth</c>), an LPIPS state
    /// dict, or a training checkpoint holding <c>loss.perceptual_loss.*</c>; null: LPIPS is not computed.
    /// </summary>
    public string? LpipsWeights { get; init; }

    /// <summary>The LPIPS v0.1 lin heads (the lpips package's <c>alex.pth</c> / <c>vgg.pth</c>); null: taken from <see cref="LpipsWeights"/>.</summary>
    public string? LpipsHeads { get; init; }

    /// <summary>The LPIPS backbone: AlexNet in the authors' evaluation, VGG16 in their training loss.</summary>
    public LpipsNetwork LpipsNetwork { get; init; } = LpipsNetwork.AlexNet;

    /// <summary>pytorch-fid's <c>pt_inception-2015-12-05-6726825d.pth</c>; null: rFID is not computed.</summary>
    public string? FidWeights { get; init; }

    /// <summary>A folder to write the reconstructions to as PNG, one subfolder per mode; null: not saved.</summary>
    public string? SaveReconstructions { get; init; }

    /// <summary>Replace saved reconstructions of the same names that exist already (without it, they are refused).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Threads decoding images (default: the processor count).</summary>
    public int? Workers { get; init; }

    /// <summary>
    /// Evaluate only this shard of the images (an array job without MPI) and return its partial statistics
    /// (<see cref="EvaluationPipeline.RunShard"/>), which <see cref="MergePipeline"/> joins into the report. Null: every image.
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>The job's ranks, which split the images; every rank gets the report merged from all of them.</summary>
    public ICommunicator Communicator { get; init; } = SingleProcess.Instance;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that makes no sense.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Data))
            throw new ArgumentException("no evaluation data given: name a folder of images or a .txt list");
        if (ImageSize is <= 0)
            throw new ArgumentException($"the image size must be positive, not {ImageSize}");
        if (Limit is <= 0)
            throw new ArgumentException($"the image limit must be positive, not {Limit}");
        if (BatchSize is <= 0)
            throw new ArgumentException($"the batch size must be positive, not {BatchSize}");
        if (Modes.Count == 0)
            throw new ArgumentException("no reconstruction mode to evaluate: choose vq, mean or both");
        if (Modes.Distinct().Count() != Modes.Count)
            throw new ArgumentException($"a reconstruction mode is named twice: {string.Join(", ", Modes)}");
        foreach (var mode in Modes)
            if (mode is not (ReconstructionMode.Vq or ReconstructionMode.Mean))
                throw new ArgumentException($"reconstruction mode {mode} cannot be evaluated (it is random): choose vq or mean");
        if (Shard is not null && Communicator.Size > 1)
            throw new ArgumentException("--shard splits the images between separate runs; under an MPI launcher the ranks split them already, so leave --shard out");
        if ((Shard?.Count ?? Communicator.Size) > 1 && SaveReconstructions is not null)
            throw new ArgumentException("--save-recon is not available when the images are split (--shard or MPI): save the reconstructions with gq reconstruct");
        if (LpipsHeads is not null && LpipsWeights is null)
            throw new ArgumentException("LPIPS head weights were given without the backbone weights they go with (--lpips-weights)");
    }
}
