using static TorchSharp.torch;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// The convolutional part of torchvision's AlexNet or VGG16, cut after five ReLUs into <c>slice1</c>…<c>slice5</c>
/// whose layers keep their torchvision <c>features</c> indices as names, so weights load both from torchvision
/// files (<c>features.{i}.weight</c>) and from LPIPS checkpoints (<c>net.slice{k}.{i}.weight</c>).
/// Returns the five ReLU outputs (AlexNet relu1…relu5: 64, 192, 384, 256, 256 channels;
/// VGG16 relu1_2, relu2_2, relu3_3, relu4_3, relu5_3: 64, 128, 256, 512, 512 channels).
/// </summary>
internal sealed class LpipsBackbone : nn.Module<Tensor, Tensor[]>
{
    private readonly nn.Module<Tensor, Tensor>[] slices;

    private LpipsBackbone(string name, IReadOnlyList<nn.Module<Tensor, Tensor>> features, int[] sliceEnds, long[] channels,
        int minimumSide) : base(name)
    {
        Channels = channels;
        MinimumSide = minimumSide;
        slices = new nn.Module<Tensor, Tensor>[sliceEnds.Length];
        for (int slice = 0, start = 0; slice < sliceEnds.Length; start = sliceEnds[slice], slice++)
        {
            var layers = Enumerable.Range(start, sliceEnds[slice] - start).Select(index => (index.ToString(), features[index])).ToArray();
            slices[slice] = nn.Sequential(layers);
            register_module($"slice{slice + 1}", slices[slice]);
        }
    }

    /// <summary>Channels of the five returned feature maps.</summary>
    public IReadOnlyList<long> Channels { get; }

    /// <summary>The smallest image side for which every layer still has at least one output pixel.</summary>
    public int MinimumSide { get; }

    public static LpipsBackbone Create(LpipsNetwork network) => network switch
    {
        LpipsNetwork.AlexNet => AlexNet(),
        LpipsNetwork.Vgg16 => Vgg16(),
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "unknown LPIPS backbone"),
    };

    public override Tensor[] forward(Tensor input)
    {
        var outputs = new Tensor[slices.Length];
        var hidden = input;
        for (int slice = 0; slice < slices.Length; slice++)
            outputs[slice] = hidden = slices[slice].call(hidden);
        return outputs;
    }

    /// <summary>torchvision alexnet().features[0:12]: slices end after features 1, 4, 7, 9 and 11 (the ReLUs).</summary>
    private static LpipsBackbone AlexNet()
    {
        nn.Module<Tensor, Tensor>[] features =
        [
            nn.Conv2d(3, 64, 11, stride: 4, padding: 2), nn.ReLU(), nn.MaxPool2d(3, stride: 2),
            nn.Conv2d(64, 192, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(3, stride: 2),
            nn.Conv2d(192, 384, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(256, 256, 3, padding: 1), nn.ReLU(),
        ];
        // 31 → 7 after the stride-4 convolution → 3 → 1 after the two 3×3 stride-2 pools.
        return new LpipsBackbone("alexnet", features, [2, 5, 8, 10, 12], [64, 192, 384, 256, 256], minimumSide: 31);
    }

    /// <summary>torchvision vgg16().features[0:30] (configuration "D" without the last pooling); slices end after the ReLUs at 3, 8, 15, 22, 29.</summary>
    private static LpipsBackbone Vgg16()
    {
        const int Pool = 0;
        int[] plan = [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512];
        var features = new List<nn.Module<Tensor, Tensor>>();
        long channels = 3;
        foreach (int width in plan)
        {
            if (width == Pool)
            {
                features.Add(nn.MaxPool2d(2, stride: 2));
                continue;
            }
            features.Add(nn.Conv2d(channels, width, 3, padding: 1));
            features.Add(nn.ReLU());
            channels = width;
        }
        // Four 2×2 pools: 16 → 1.
        return new LpipsBackbone("vgg16", features, [4, 9, 16, 23, 30], [64, 128, 256, 512, 512], minimumSide: 16);
    }
}
