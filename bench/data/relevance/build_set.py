"""Write the relevance set (documents.json, queries.json) from the hand-written entries below.

    python bench/data/relevance/build_set.py

The judged documents and the queries are written by hand; a seeded generator adds background
records on other subjects (health, schooling, energy, tourism, other crops), so that every
query runs against a few hundred documents. Grades: 2 = about what was asked, 1 = partly,
unlisted = 0 (look-alike decoys are unlisted on purpose). The grades were written before any
ranking was tuned and are not edited to fit a ranking.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (key, title, abstract, keywords)
DOCS = [
    # --- salinity (mặn) and the rose apple (mận) ---------------------------------------
    (
        "sal1",
        "Đánh giá tác động của xâm nhập mặn đến sản xuất lúa ở Sóc Trăng",
        "Nghiên cứu phân tích diễn biến xâm nhập mặn mùa khô năm 2016 và 2020 và thiệt hại năng suất lúa Đông Xuân tại các huyện ven biển tỉnh Sóc Trăng.",
        "xâm nhập mặn; lúa Đông Xuân; Sóc Trăng",
    ),
    (
        "sal2",
        "Dự báo xâm nhập mặn trên sông Hậu bằng mô hình thủy lực MIKE 11",
        "Mô hình thủy lực một chiều được hiệu chỉnh với số liệu độ mặn quan trắc để dự báo ranh mặn 4‰ trên sông Hậu trong mùa khô.",
        "xâm nhập mặn; mô hình thủy lực; sông Hậu",
    ),
    (
        "sal3",
        "Giải pháp trữ nước ngọt ứng phó xâm nhập mặn cho vườn cây ăn trái Bến Tre",
        "Khảo sát 120 nông hộ về ao trữ nước, túi trữ nước và bồn chứa; đề xuất giải pháp trữ ngọt cho vườn sầu riêng và bưởi trong đợt xâm nhập mặn 2020.",
        "xâm nhập mặn; trữ nước ngọt; cây ăn trái",
    ),
    (
        "sal4",
        "Bản đồ độ mặn nước mặt vùng ven biển Trà Vinh mùa khô",
        "Nước mặn xâm nhập sâu vào nội đồng qua các cửa sông Cổ Chiên và Cung Hầu; bản đồ độ mặn được lập từ 60 điểm đo trong ba tháng mùa khô.",
        "độ mặn; nước mặt; Trà Vinh",
    ),
    (
        "sal5",
        "Xâm nhập thị trường của sản phẩm mận hậu sấy dẻo",
        "Phân tích chiến lược đưa mận hậu sấy dẻo vào chuỗi siêu thị và thị trường xuất khẩu, với khảo sát người tiêu dùng tại Cần Thơ.",
        "mận hậu; sấy dẻo; thị trường",
    ),
    (
        "sal6",
        "Đất mặn ven biển và hướng chuyển đổi cây trồng ở Bạc Liêu",
        "Đánh giá độ mặn đất theo mùa và đề xuất luân canh lúa với cây màu chịu mặn trên đất mặn ven biển.",
        "đất mặn; chuyển đổi cây trồng; Bạc Liêu",
    ),
    (
        "sal7",
        "Khả năng chịu mặn của các giống lúa mùa địa phương ở Cà Mau",
        "Ba mươi giống lúa mùa được thanh lọc trong dung dịch mặn 6‰ và 8‰; năm giống giữ được năng suất khi tưới nước lợ.",
        "chịu mặn; lúa mùa; Cà Mau",
    ),
    (
        "man1",
        "Kỹ thuật trồng mận An Phước cho trái to, ít nứt",
        "Hướng dẫn tỉa cành, bón phân và tưới nước cho cây mận An Phước nhằm hạn chế nứt trái trong mùa mưa.",
        "mận An Phước; kỹ thuật canh tác",
    ),
    (
        "man2",
        "Biện pháp phòng trị ruồi đục trái trên cây mận ở Tiền Giang",
        "Bẫy protein và bao trái làm giảm tỷ lệ trái mận bị ruồi đục từ 35% xuống dưới 5%.",
        "ruồi đục trái; mận; Tiền Giang",
    ),
    (
        "man3",
        "Tuyển chọn cây ăn trái đặc sản cho vườn Chợ Gạo",
        "Các cây được đánh giá gồm mận hồng đào, mận An Phước, vú sữa Lò Rèn và nhãn xuồng; mận hồng đào cho lợi nhuận cao nhất.",
        "cây ăn trái đặc sản; Chợ Gạo",
    ),
    (
        "man4",
        "Chế biến mứt mận và đánh giá chất lượng cảm quan",
        "Quy trình chế biến mứt từ trái mận chín với tỷ lệ đường 40% cho sản phẩm có màu đỏ tươi và vị chua ngọt hài hòa.",
        "mứt; mận; chế biến",
    ),
    # --- coconut (dừa), melon (dưa), pineapple (dứa, khóm, thơm) ---------------------
    (
        "dua1",
        "Kỹ thuật trồng dừa xiêm xanh xuất khẩu ở Bến Tre",
        "Quy trình canh tác dừa xiêm xanh theo tiêu chuẩn GlobalGAP, từ chọn giống đến thu hoạch trái uống nước.",
        "dừa xiêm; Bến Tre; GlobalGAP",
    ),
    (
        "dua2",
        "Sâu đầu đen hại dừa và biện pháp phòng trừ sinh học bằng ong ký sinh",
        "Thả ong ký sinh Goniozus nephantidis giảm mật số sâu đầu đen Opisina arenosella trên vườn dừa tại Bến Tre và Trà Vinh.",
        "sâu đầu đen; dừa; ong ký sinh",
    ),
    (
        "dua3",
        "Chế biến thạch dừa từ nước dừa già",
        "Vi khuẩn Acetobacter xylinum lên men nước dừa già tạo màng thạch dừa; khảo sát nồng độ đường và thời gian lên men.",
        "thạch dừa; nước dừa; lên men",
    ),
    (
        "dua4",
        "Trồng dưa hấu trên đất lúa vụ Xuân Hè ở Long An",
        "Mô hình luân canh dưa hấu sau lúa cho lợi nhuận gấp ba lần độc canh lúa và cải thiện độ tơi xốp của đất.",
        "dưa hấu; luân canh; Long An",
    ),
    (
        "dua5",
        "Hiệu quả kinh tế của dưa lưới trồng trong nhà màng tại Cần Thơ",
        "Dưa lưới trồng giá thể xơ dừa, tưới nhỏ giọt trong nhà màng cho năng suất 30 tấn/ha.",
        "dưa lưới; nhà màng; Cần Thơ",
    ),
    (
        "dua6",
        "Bệnh héo rũ trên dưa leo do nấm Fusarium",
        "Khảo sát tỷ lệ bệnh héo rũ trên dưa leo tại Vĩnh Long và thử nghiệm Trichoderma xử lý đất trước khi trồng.",
        "héo rũ; dưa leo; Fusarium",
    ),
    (
        "dua7",
        "Trồng dứa Queen trên đất phèn ở Tân Phước, Tiền Giang",
        "Cây dứa chịu phèn tốt; lên liếp cao và bón vôi giúp dứa Queen đạt năng suất 25 tấn/ha trên đất phèn nặng.",
        "dứa Queen; đất phèn; Tân Phước",
    ),
    (
        "dua8",
        "Chiết xuất bromelain từ vỏ và lõi trái khóm Cầu Đúc",
        "Phụ phẩm của khóm (dứa Queen) Cầu Đúc, Hậu Giang được dùng để thu enzyme bromelain bằng kết tủa với ethanol.",
        "bromelain; khóm; phụ phẩm",
    ),
    (
        "dua9",
        "Sản xuất nước ép thơm đóng lon",
        "Thơm Queen được ép, lọc, thanh trùng và đóng lon; sản phẩm giữ được vitamin C và hương thơm tự nhiên.",
        "nước ép; thơm; đóng lon",
    ),
    (
        "dua10",
        "Mô hình xen canh trong vườn dừa ở Chợ Lách",
        "Trồng xen dứa, ca cao và chuối dưới tán dừa tăng thu nhập; dứa cho thu hoạch sớm nhất sau 14 tháng.",
        "xen canh; vườn dừa; Chợ Lách",
    ),
    (
        "dua11",
        "Cây ăn trái chịu phèn cho vùng Tứ giác Long Xuyên",
        "Dứa là cây chịu phèn tốt nhất trong các cây thử nghiệm, tiếp theo là mãng cầu xiêm và ổi; khuyến cáo lên liếp kết hợp rửa phèn.",
        "cây chịu phèn; Tứ giác Long Xuyên",
    ),
    (
        "dua12",
        "Dưa hấu ghép gốc bầu chống bệnh héo",
        "Ghép dưa hấu trên gốc bầu làm giảm tỷ lệ bệnh héo vàng do Fusarium từ 40% xuống 6% ở vụ Đông Xuân.",
        "dưa hấu; ghép gốc; bệnh héo",
    ),
    # --- pig (heo, lợn) and wilting (héo) ---------------------------------------------
    (
        "heo1",
        "Bệnh dịch tả heo châu Phi: tình hình và biện pháp phòng chống tại Cần Thơ",
        "Tổng hợp các ổ dịch tả heo châu Phi năm 2019–2020 và hiệu quả của khử trùng, kiểm soát vận chuyển heo giữa các quận huyện.",
        "dịch tả heo châu Phi; phòng chống dịch",
    ),
    (
        "heo2",
        "Ảnh hưởng của khẩu phần bổ sung bã đậu nành đến tăng trọng heo thịt",
        "Heo thịt lai ba máu được nuôi với 0, 10 và 20% bã đậu nành trong khẩu phần; mức 10% cho tăng trọng cao nhất.",
        "heo thịt; bã đậu nành; khẩu phần",
    ),
    (
        "heo3",
        "Xử lý chất thải chăn nuôi lợn bằng hầm biogas",
        "Hầm biogas composite xử lý phân lợn của nông hộ quy mô 20–50 con, giảm mùi và cung cấp khí đốt.",
        "chất thải chăn nuôi; lợn; biogas",
    ),
    (
        "heo4",
        "Nuôi lợn rừng lai theo hướng an toàn sinh học ở Vĩnh Long",
        "Mô hình nuôi lợn rừng lai thả vườn có rào, tiêm phòng đầy đủ và dùng đệm lót sinh học cho lợi nhuận ổn định.",
        "lợn rừng lai; an toàn sinh học",
    ),
    (
        "heo5",
        "Bệnh héo xanh vi khuẩn trên cà chua và biện pháp quản lý",
        "Vi khuẩn Ralstonia solanacearum gây héo xanh nhanh; ghép cà chua trên gốc cà tím kháng bệnh là biện pháp hiệu quả.",
        "héo xanh; cà chua; Ralstonia",
    ),
    (
        "heo6",
        "Hiện tượng héo lá trên cây sầu riêng sau mùa lũ",
        "Rễ sầu riêng bị ngập úng kéo dài dẫn đến héo lá, vàng lá và chết cây; đề xuất biện pháp thoát nước và phục hồi bộ rễ.",
        "héo lá; sầu riêng; ngập úng",
    ),
    # --- pomelo (bưởi) and session (buổi) --------------------------------------------
    (
        "buoi1",
        "Kỹ thuật bao trái bưởi da xanh hạn chế sâu đục trái",
        "Bao trái bưởi da xanh bằng túi giấy chuyên dụng khi trái được 60 ngày tuổi làm giảm tỷ lệ sâu đục trái xuống dưới 3%.",
        "bưởi da xanh; bao trái; sâu đục trái",
    ),
    (
        "buoi2",
        "Đánh giá chất lượng bưởi Năm Roi Bình Minh",
        "Bưởi Năm Roi thu hoạch ở Bình Minh, Vĩnh Long có độ Brix 10–11 và tỷ lệ thịt quả cao, đáp ứng yêu cầu xuất khẩu.",
        "bưởi Năm Roi; chất lượng; Vĩnh Long",
    ),
    (
        "buoi3",
        "Chiết xuất tinh dầu vỏ bưởi và ứng dụng trong mỹ phẩm",
        "Tinh dầu vỏ bưởi được chưng cất lôi cuốn hơi nước, hàm lượng limonene trên 90%, dùng làm dầu gội thảo dược.",
        "tinh dầu; vỏ bưởi; limonene",
    ),
    (
        "buoi4",
        "Tổ chức buổi tập huấn kỹ thuật cho nông dân trồng cây ăn trái",
        "Mỗi buổi tập huấn kết hợp lý thuyết và thực hành tại vườn; nông dân đánh giá cao các buổi học đầu bờ.",
        "tập huấn; khuyến nông",
    ),
    (
        "buoi5",
        "Buổi sáng hay buổi chiều: thời điểm phun thuốc ảnh hưởng đến hiệu lực trừ rầy",
        "Phun thuốc vào buổi chiều mát cho hiệu lực trừ rầy nâu cao hơn buổi sáng sớm khi lá còn đọng sương.",
        "thời điểm phun thuốc; rầy nâu",
    ),
    (
        "buoi6",
        "Xử lý ra hoa nghịch vụ bưởi da xanh ở Bến Tre",
        "Khoanh cành và xiết nước giúp bưởi da xanh ra hoa tập trung, thu hoạch đúng dịp Tết.",
        "bưởi da xanh; ra hoa nghịch vụ",
    ),
    (
        "buoi7",
        "Rau xanh sạch cho bữa ăn học đường: kết quả các buổi kiểm tra",
        "Các buổi kiểm tra đột xuất tại 30 bếp ăn trường học cho thấy rau xanh đạt ngưỡng an toàn; da tay người chế biến cần được vệ sinh kỹ.",
        "rau xanh; bếp ăn học đường",
    ),
    (
        "buoi8",
        "Bệnh vàng lá gân xanh trên bưởi và cam sành",
        "Bệnh do vi khuẩn Candidatus Liberibacter asiaticus do rầy chổng cánh truyền; dùng cây giống sạch bệnh và quản lý rầy.",
        "vàng lá gân xanh; bưởi; cam sành",
    ),
    # --- mushrooms (nấm) and year (năm) ----------------------------------------------
    (
        "nam1",
        "Trồng nấm rơm trên rơm rạ sau thu hoạch lúa",
        "Tận dụng rơm rạ trồng nấm rơm ngoài trời giúp nông hộ tăng thu nhập và giảm đốt rơm trên đồng.",
        "nấm rơm; rơm rạ; phụ phẩm",
    ),
    (
        "nam2",
        "Sản xuất nấm bào ngư trên mạt cưa cao su",
        "Phối trộn mạt cưa cao su với cám gạo 5% cho năng suất nấm bào ngư cao nhất, hiệu suất sinh học 78%.",
        "nấm bào ngư; mạt cưa",
    ),
    (
        "nam3",
        "Nấm xanh Metarhizium phòng trừ rầy nâu hại lúa",
        "Chế phẩm nấm xanh Metarhizium anisopliae phun ở mật độ 10^8 bào tử/ml làm chết 80% rầy nâu sau bảy ngày.",
        "nấm xanh; Metarhizium; rầy nâu",
    ),
    (
        "nam4",
        "Bệnh thán thư trên xoài cát Hòa Lộc",
        "Bệnh do nấm Colletotrichum gloeosporioides gây ra, phát triển mạnh trong mùa mưa; phun luân phiên thuốc gốc đồng giúp giảm bệnh.",
        "thán thư; xoài; Colletotrichum",
    ),
    (
        "nam5",
        "Năm năm thực hiện chương trình nông thôn mới ở Hậu Giang",
        "Tổng kết giai đoạn năm năm với 40 xã đạt chuẩn nông thôn mới, thu nhập bình quân tăng 1,7 lần.",
        "nông thôn mới; Hậu Giang",
    ),
    (
        "nam6",
        "Kết quả hoạt động khoa học và công nghệ năm 2023 của thành phố Cần Thơ",
        "Báo cáo tổng hợp các đề tài nghiệm thu trong năm, số bài báo và sáng chế được công bố.",
        "báo cáo năm; khoa học và công nghệ",
    ),
    (
        "nam7",
        "Quy trình ủ rơm trồng nấm rơm trong nhà",
        "Rơm được xử lý vôi và ủ 5 ngày trước khi cấy meo; nấm rơm trồng trong nhà cho năng suất ổn định quanh năm.",
        "nấm rơm; ủ rơm",
    ),
    (
        "nam8",
        "Đốt rơm rạ trên đồng: khảo sát năm 2022 và phát thải khí nhà kính",
        "Khoảng 70% nông hộ đốt rơm sau vụ Hè Thu năm 2022; ước tính phát thải CO2 và bụi mịn.",
        "đốt rơm rạ; phát thải",
    ),
    # --- lotus (sen) and snail (sên) -----------------------------------------------------
    (
        "sen1",
        "Trồng sen lấy gương kết hợp du lịch sinh thái ở Đồng Tháp",
        "Mô hình trồng sen trên ruộng lúa một vụ ở Tháp Mười vừa bán gương sen, vừa đón khách tham quan.",
        "sen; du lịch sinh thái; Đồng Tháp",
    ),
    (
        "sen2",
        "Chế biến trà tim sen và đánh giá hoạt tính chống oxy hóa",
        "Tim sen được sấy ở 50°C, giữ hàm lượng alkaloid và cho trà có hoạt tính chống oxy hóa cao.",
        "tim sen; trà thảo dược",
    ),
    (
        "sen3",
        "Ốc sên hại rau màu và biện pháp phòng trừ bằng bẫy",
        "Bẫy bằng bia và vỏ trái cây thu hút ốc sên ban đêm, giảm thiệt hại trên cải xanh và xà lách.",
        "ốc sên; rau màu",
    ),
    (
        "sen4",
        "Ốc bươu vàng và ốc sên trên ruộng lúa sạ",
        "Ốc bươu vàng gây hại mạ non trong 10 ngày đầu sau sạ; ốc sên ít gây hại hơn trên ruộng ngập nước.",
        "ốc bươu vàng; ốc sên; lúa sạ",
    ),
    (
        "sen5",
        "Tuyển chọn giống sen cho năng suất hạt cao ở Đồng Tháp Mười",
        "Năm giống sen địa phương được so sánh về số gương trên mét vuông và khối lượng hạt.",
        "giống sen; hạt sen",
    ),
    # --- pangasius (cá tra), eggplant (cà), tra cứu ------------------------------------
    (
        "ca1",
        "Ương giống cá tra bột lên cá hương trong ao đất ở An Giang",
        "Mật độ ương 500 con/m² và thức ăn tự nhiên bổ sung giúp tỷ lệ sống của cá tra giống đạt 35%.",
        "cá tra giống; ương nuôi; An Giang",
    ),
    (
        "ca2",
        "Bệnh gan thận mủ trên cá tra nuôi thâm canh",
        "Vi khuẩn Edwardsiella ictaluri gây bệnh gan thận mủ làm chết 20–30% cá tra trong mùa mưa; kháng sinh đồ cho thấy vi khuẩn kháng nhiều loại thuốc.",
        "gan thận mủ; cá tra; Edwardsiella ictaluri",
    ),
    (
        "ca3",
        "Chuỗi giá trị cá tra xuất khẩu vùng Đồng bằng sông Cửu Long",
        "Phân tích lợi nhuận của người nuôi, nhà máy chế biến và nhà xuất khẩu cá tra phi lê sang EU và Hoa Kỳ.",
        "chuỗi giá trị; cá tra; xuất khẩu",
    ),
    (
        "ca4",
        "Hệ thống tra cứu thông tin giá cá và thủy sản trực tuyến",
        "Cơ sở dữ liệu giá bán tại các chợ đầu mối giúp người dùng tra cứu nhanh giá cá, tôm, cua theo ngày.",
        "tra cứu; cơ sở dữ liệu; giá thủy sản",
    ),
    (
        "ca5",
        "Trồng cà tím ghép trên gốc cà dại kháng tuyến trùng",
        "Cà tím ghép trên gốc cà dại Solanum torvum giảm bệnh do tuyến trùng rễ và kéo dài thời gian thu hoạch.",
        "cà tím; ghép; tuyến trùng",
    ),
    (
        "ca6",
        "Kiểm tra dư lượng kháng sinh trong cà chua và rau ăn quả",
        "Mẫu cà chua, ớt và dưa leo ở chợ Cần Thơ được kiểm tra dư lượng thuốc bảo quản và kháng sinh.",
        "kiểm tra dư lượng; cà chua",
    ),
    (
        "ca7",
        "Vắc xin phòng bệnh gan thận mủ do Edwardsiella ictaluri",
        "Vắc xin bất hoạt dạng ngâm cho cá giống làm tăng tỷ lệ sống khi gây nhiễm thực nghiệm với vi khuẩn gây bệnh gan thận mủ.",
        "vắc xin; gan thận mủ; cá giống",
    ),
    (
        "ca8",
        "Nuôi cá lóc trong vèo trên ruộng lúa mùa lũ",
        "Cá lóc nuôi trong vèo lưới đặt trên ruộng lúa ngập lũ ở An Giang đạt năng suất 15 kg/m³.",
        "cá lóc; nuôi vèo; mùa lũ",
    ),
    (
        "ca9",
        "Thức ăn viên từ phụ phẩm cá tra cho cá lóc",
        "Bột cá tra thủy phân thay thế 50% bột cá biển trong thức ăn cá lóc mà không giảm tăng trọng.",
        "thức ăn viên; phụ phẩm cá tra; cá lóc",
    ),
    # --- dragon fruit (thanh long) and syllables apart --------------------------------
    (
        "tl1",
        "Bệnh đốm nâu trên thanh long ở Chợ Gạo, Tiền Giang",
        "Nấm Neoscytalidium dimidiatum gây đốm nâu trên cành và trái thanh long; vệ sinh vườn và phun thuốc sớm giảm 70% bệnh.",
        "đốm nâu; thanh long; Neoscytalidium",
    ),
    (
        "tl2",
        "Kỹ thuật chiếu đèn cho thanh long ra hoa nghịch vụ tại Long An",
        "Chiếu đèn 15 đêm liên tục trong mùa nghịch giúp thanh long ra hoa đồng loạt, tăng giá bán.",
        "thanh long; chiếu đèn; ra hoa nghịch vụ",
    ),
    (
        "tl3",
        "Thanh long ruột đỏ: tuyển chọn và nhân giống",
        "Ba dòng thanh long ruột đỏ được chọn theo năng suất và độ Brix, nhân giống bằng giâm cành.",
        "thanh long ruột đỏ; chọn giống",
    ),
    (
        "tl4",
        "Thanh niên nông thôn Vĩnh Long khởi nghiệp với mô hình nông nghiệp số",
        "Khảo sát 80 thanh niên khởi nghiệp ở Vĩnh Long về vốn, thị trường và kỹ năng số.",
        "thanh niên; khởi nghiệp; Vĩnh Long",
    ),
    (
        "tl5",
        "Âm thanh dẫn dụ trong bẫy đèn bắt rầy ở Long Mỹ",
        "Bẫy đèn kết hợp âm thanh tần số thấp tăng số rầy nâu vào bẫy ở Long Mỹ, Hậu Giang.",
        "bẫy đèn; âm thanh; rầy nâu",
    ),
    (
        "tl6",
        "Bảo quản trái thanh long bằng màng bao chitosan",
        "Màng chitosan 1% kéo dài thời gian bảo quản thanh long sau thu hoạch đến 35 ngày ở 10°C, giữ màu tai xanh.",
        "bảo quản; thanh long; chitosan",
    ),
    (
        "tl7",
        "Xử lý nhiệt hơi nước diệt ruồi đục trái trên thanh long xuất khẩu",
        "Xử lý hơi nước nóng 46,5°C trong 20 phút đáp ứng yêu cầu kiểm dịch của Nhật Bản và Hàn Quốc mà không làm giảm chất lượng trái.",
        "xử lý nhiệt; kiểm dịch; thanh long",
    ),
    (
        "tl8",
        "Trái cây xuất khẩu của Long An: thanh tra chất lượng vùng trồng",
        "Đoàn thanh tra kiểm tra mã số vùng trồng chuối, chanh và khóm ở Long An; 12% vùng trồng chưa đạt.",
        "mã số vùng trồng; thanh tra; Long An",
    ),
    # --- food technology (công nghệ thực phẩm) ----------------------------------------
    (
        "cn1",
        "Đào tạo ngành công nghệ thực phẩm gắn với doanh nghiệp chế biến ở Cần Thơ",
        "Chương trình đào tạo kỹ sư công nghệ thực phẩm được thiết kế cùng các doanh nghiệp chế biến thủy sản và trái cây.",
        "công nghệ thực phẩm; đào tạo",
    ),
    (
        "cn2",
        "Xu hướng nghiên cứu công nghệ thực phẩm tại vùng Đồng bằng sông Cửu Long",
        "Phân tích 450 công trình công nghệ thực phẩm công bố từ 2010 đến 2023: chế biến gạo, thủy sản và trái cây chiếm ưu thế.",
        "công nghệ thực phẩm; thư mục học",
    ),
    (
        "cn3",
        "Công nghệ thực phẩm lên men: sản xuất giấm từ phụ phẩm trái cây",
        "Vỏ và lõi trái cây được lên men rượu rồi lên men acetic để tạo giấm có độ chua 4%.",
        "lên men; giấm; công nghệ thực phẩm",
    ),
    (
        "cn4",
        "Công nghệ thông tin trong truy xuất nguồn gốc thực phẩm sạch",
        "Hệ thống mã QR và chuỗi khối giúp người tiêu dùng truy xuất nguồn gốc rau và thịt bán tại siêu thị.",
        "truy xuất nguồn gốc; công nghệ thông tin; thực phẩm sạch",
    ),
    (
        "cn5",
        "Ứng dụng công nghệ sinh học trong kiểm tra an toàn thực phẩm",
        "Kỹ thuật PCR phát hiện nhanh Salmonella và E. coli trong thực phẩm tươi sống.",
        "công nghệ sinh học; an toàn thực phẩm; PCR",
    ),
    (
        "cn6",
        "Thực phẩm chức năng từ rau má và công nghệ sấy phun",
        "Bột rau má sấy phun với maltodextrin giữ được hoạt chất asiaticoside, dùng làm thực phẩm chức năng.",
        "thực phẩm chức năng; sấy phun; rau má",
    ),
    # --- plant protection (bảo vệ thực vật) --------------------------------------------
    (
        "bv1",
        "Sử dụng thuốc bảo vệ thực vật an toàn trên rau màu ở Cần Thơ",
        "Khảo sát 200 nông hộ trồng rau cho thấy 40% không tuân thủ thời gian cách ly sau khi phun thuốc bảo vệ thực vật.",
        "thuốc bảo vệ thực vật; rau màu; an toàn",
    ),
    (
        "bv2",
        "Dư lượng thuốc bảo vệ thực vật trong nước kênh nội đồng",
        "Phát hiện fenobucarb và propiconazole trong nước kênh nội đồng vùng trồng lúa ba vụ ở An Giang.",
        "dư lượng thuốc bảo vệ thực vật; nước mặt",
    ),
    (
        "bv3",
        "Vai trò của Chi cục Trồng trọt và Bảo vệ thực vật trong dự báo dịch hại",
        "Mạng lưới bẫy đèn và điều tra định kỳ của Chi cục giúp cảnh báo sớm rầy nâu và bệnh đạo ôn.",
        "bảo vệ thực vật; dự báo dịch hại",
    ),
    (
        "bv4",
        "Bảo vệ môi trường và đa dạng thực vật ở rừng tràm Trà Sư",
        "Điều tra 140 loài thực vật trong rừng tràm Trà Sư và đề xuất giải pháp bảo vệ môi trường sinh thái.",
        "đa dạng thực vật; rừng tràm; môi trường",
    ),
    (
        "bv5",
        "Thực vật thủy sinh bảo vệ bờ kênh khỏi sạt lở",
        "Trồng cỏ vetiver và lục bình giữ đất làm giảm sạt lở bờ kênh ở Cái Răng.",
        "thực vật thủy sinh; sạt lở; bờ kênh",
    ),
    (
        "bv6",
        "Quản lý dịch hại tổng hợp giảm thuốc bảo vệ thực vật trên lúa",
        "Chương trình IPM và ba giảm ba tăng giúp nông dân giảm 30% số lần phun thuốc bảo vệ thực vật.",
        "IPM; thuốc bảo vệ thực vật; lúa",
    ),
    # --- climate change (biến đổi khí hậu) ---------------------------------------------
    (
        "bd1",
        "Tác động của biến đổi khí hậu đến sinh kế nông hộ ven biển Bạc Liêu",
        "Hạn hán, xâm nhập mặn và triều cường làm giảm thu nhập; nông hộ chuyển sang nuôi tôm và làm thuê để thích ứng.",
        "biến đổi khí hậu; sinh kế; ven biển",
    ),
    (
        "bd2",
        "Kịch bản biến đổi khí hậu và nước biển dâng cho thành phố Cần Thơ",
        "Theo kịch bản RCP8.5, diện tích ngập của Cần Thơ năm 2050 tăng 18% so với hiện nay.",
        "biến đổi khí hậu; nước biển dâng; Cần Thơ",
    ),
    (
        "bd3",
        "Nông nghiệp thích ứng với biến đổi khí hậu ở An Giang",
        "Các mô hình lúa – màu, lúa – cá và sen – cá được đánh giá về khả năng chống chịu với thời tiết cực đoan.",
        "thích ứng; biến đổi khí hậu; An Giang",
    ),
    (
        "bd4",
        "Biến đổi chất lượng xoài trong bảo quản hậu thu hoạch bằng khí quyển điều chỉnh",
        "Xoài bảo quản trong khí quyển 5% O2 và 5% CO2 giữ độ cứng và màu vỏ sau bốn tuần.",
        "xoài; hậu thu hoạch; khí quyển điều chỉnh",
    ),
    (
        "bd5",
        "Sinh kế của người dân vùng ven biển Trà Vinh trước thời tiết cực đoan",
        "Khảo sát 300 hộ dân ven biển về thu nhập và chiến lược đa dạng hóa sinh kế khi mùa khô kéo dài, gắn với biến đổi khí hậu.",
        "sinh kế; ven biển; Trà Vinh",
    ),
    # --- dikes (đê) and goats (dê) -----------------------------------------------------
    (
        "de1",
        "Hệ thống đê bao chống lũ và tác động đến phù sa ở Đồng Tháp",
        "Đê bao khép kín làm giảm lượng phù sa vào đồng ruộng, buộc nông dân tăng lượng phân bón.",
        "đê bao; phù sa; lũ",
    ),
    (
        "de2",
        "Đê bao khép kín vùng sản xuất lúa ba vụ ở An Giang",
        "Đánh giá hiệu quả kinh tế và rủi ro của vùng đê bao khép kín sản xuất ba vụ lúa một năm.",
        "đê bao; lúa ba vụ; An Giang",
    ),
    (
        "de3",
        "Gia cố đê biển Gò Công bằng cừ tràm và vải địa kỹ thuật",
        "Kè mềm bằng cừ tràm kết hợp vải địa kỹ thuật giảm xói lở chân đê biển Gò Công Đông.",
        "đê biển; cừ tràm; xói lở",
    ),
    (
        "de4",
        "Nuôi dê thịt trên nền đệm lót sinh học ở Vĩnh Long",
        "Dê Bách Thảo lai nuôi nhốt trên đệm lót sinh học tăng trọng nhanh và giảm mùi chuồng.",
        "dê thịt; đệm lót sinh học",
    ),
    (
        "de5",
        "Chất lượng sữa dê Bến Tre và sản phẩm sữa chua",
        "Sữa dê có hàm lượng béo 4,5%; sữa chua từ sữa dê được người tiêu dùng đánh giá cao.",
        "sữa dê; sữa chua; Bến Tre",
    ),
    (
        "de6",
        "Rừng ngập mặn bảo vệ đê biển Cà Mau",
        "Đai rừng đước và mắm rộng trên 200 m giảm 60% năng lượng sóng trước đê biển Tây Cà Mau.",
        "rừng ngập mặn; đê biển; Cà Mau",
    ),
    (
        "de7",
        "Cỏ voi làm thức ăn cho dê ở vùng đất giồng",
        "Dê được nuôi bằng cỏ voi và lá keo dậu trồng trên đất giồng ở Trà Vinh đạt tăng trọng 80 g/ngày.",
        "dê; cỏ voi; thức ăn thô xanh",
    ),
    # --- sugar and roads (đường), poplar (dương), cope (đương) -----------------------
    (
        "du1",
        "Sản xuất đường thốt nốt ở Tri Tôn và Tịnh Biên",
        "Nước thốt nốt được nấu cô đặc thành đường; đề xuất quy trình vệ sinh để sản phẩm đạt chỉ dẫn địa lý.",
        "đường thốt nốt; An Giang",
    ),
    (
        "du2",
        "Cải tiến lò nấu đường mía thủ công ở Phụng Hiệp",
        "Lò nấu đường mía cải tiến tiết kiệm 30% củi và cho đường có màu sáng hơn.",
        "đường mía; lò nấu; Phụng Hiệp",
    ),
    (
        "du3",
        "Quy hoạch mạng lưới đường giao thông nông thôn Hậu Giang",
        "Mạng lưới đường giao thông kết nối vùng nguyên liệu với nhà máy chế biến được quy hoạch đến năm 2030.",
        "đường giao thông; nông thôn",
    ),
    (
        "du4",
        "Cây dương liễu chắn gió ven biển Trà Vinh",
        "Đai rừng dương liễu trồng trên giồng cát ven biển giảm tốc độ gió 40% và hạn chế cát bay.",
        "dương liễu; rừng phòng hộ",
    ),
    (
        "du5",
        "Đương đầu với hạn mặn: kinh nghiệm của nông dân Bến Tre",
        "Nông dân chủ động trữ ngọt, chuyển lịch thời vụ và chọn cây trồng ít nước khi đương đầu với mùa khô khắc nghiệt.",
        "hạn mặn; kinh nghiệm nông dân",
    ),
    (
        "du6",
        "Năng suất mía đường của giống K95-84 ở Sóc Trăng",
        "Giống mía K95-84 đạt 120 tấn/ha và chữ đường 11 CCS trên đất phù sa ven sông.",
        "mía đường; giống mía; Sóc Trăng",
    ),
    (
        "du7",
        "Chọn giống phi lao (dương liễu) cho rừng phòng hộ ven biển",
        "Mười dòng dương liễu được khảo nghiệm về sinh trưởng và khả năng chịu gió trên cát ven biển Sóc Trăng.",
        "phi lao; dương liễu; chọn giống",
    ),
    # --- beans (đậu) and oil (dầu) ------------------------------------------------------
    (
        "dau1",
        "Giống đậu xanh ĐX208 trồng trên đất lúa sau vụ Đông Xuân",
        "Đậu xanh ĐX208 gieo sau lúa Đông Xuân không làm đất cho năng suất 1,6 tấn/ha ở Cần Thơ.",
        "đậu xanh; luân canh; đất lúa",
    ),
    (
        "dau2",
        "Luân canh lúa với đậu nành cải thiện độ phì đất",
        "Sau hai năm luân canh lúa – đậu nành, đạm tổng số và chất hữu cơ trong đất tăng rõ rệt.",
        "đậu nành; luân canh; độ phì đất",
    ),
    (
        "dau3",
        "Kỹ thuật canh tác đậu bắp xuất khẩu ở Cần Thơ",
        "Đậu bắp trồng trên liếp có phủ bạt, thu hái mỗi ngày, đạt tiêu chuẩn xuất khẩu sang Nhật Bản.",
        "đậu bắp; xuất khẩu",
    ),
    (
        "dau4",
        "Chiết xuất dầu từ cám gạo bằng dung môi hexane",
        "Dầu cám gạo giàu gamma-oryzanol; hiệu suất chiết đạt 18% ở 60°C.",
        "dầu cám gạo; chiết xuất",
    ),
    (
        "dau5",
        "Dầu tràm Cà Mau và hoạt tính kháng khuẩn",
        "Tinh dầu tràm chưng cất từ lá tràm U Minh có hoạt tính kháng Staphylococcus aureus.",
        "dầu tràm; kháng khuẩn",
    ),
    (
        "dau6",
        "Bệnh đốm lá trên đậu xanh và biện pháp phòng trừ",
        "Bệnh đốm lá do nấm Cercospora làm giảm 25% năng suất đậu xanh; phun hexaconazole khi bệnh chớm xuất hiện.",
        "đậu xanh; đốm lá; Cercospora",
    ),
    (
        "dau7",
        "Dầu diesel sinh học từ mỡ cá tra và vi tảo xanh",
        "Mỡ cá tra và dầu vi tảo xanh Chlorella được chuyển hóa thành biodiesel bằng xúc tác kiềm.",
        "biodiesel; mỡ cá tra; vi tảo",
    ),
    # --- acid sulfate soils (đất phèn) ---------------------------------------------------
    (
        "dp1",
        "Cải tạo đất phèn trồng lúa bằng vôi và phân hữu cơ ở Long An",
        "Bón vôi 1 tấn/ha kết hợp phân hữu cơ làm tăng pH đất và năng suất lúa trên đất phèn Đức Huệ.",
        "đất phèn; bón vôi; lúa",
    ),
    (
        "dp2",
        "Đặc điểm hình thái đất phèn tiềm tàng vùng Tứ giác Long Xuyên",
        "Mô tả 25 phẫu diện đất phèn tiềm tàng và hoạt động với tầng sinh phèn ở độ sâu 50–80 cm.",
        "đất phèn tiềm tàng; phẫu diện",
    ),
    (
        "dp3",
        "Cây tràm trên đất phèn Đồng Tháp Mười",
        "Tràm cừ sinh trưởng tốt trên đất phèn nặng, góp phần cố định đất và giữ nước cho vùng trũng.",
        "tràm; đất phèn; Đồng Tháp Mười",
    ),
    (
        "dp4",
        "Lọc nước phèn sinh hoạt bằng than sinh học từ vỏ trấu",
        "Than sinh học vỏ trấu hấp phụ sắt và nhôm trong nước giếng nhiễm phèn cho hộ gia đình.",
        "nước phèn; than sinh học; vỏ trấu",
    ),
    (
        "dp5",
        "Độ chua của đất và hàm lượng nhôm trao đổi trên đất phèn trồng khóm",
        "Đất phèn trồng khóm ở Hậu Giang có pH 3,5–4,2 và nhôm trao đổi cao ở tầng mặt.",
        "đất phèn; nhôm trao đổi; khóm",
    ),
    # --- rice (lúa) and silk (lụa) --------------------------------------------------------
    (
        "lu1",
        "Nghề dệt lụa Tân Châu và sản phẩm lãnh Mỹ A",
        "Lụa Tân Châu nhuộm bằng trái mặc nưa có màu đen bóng; nghề dệt đang thiếu thợ trẻ.",
        "lụa Tân Châu; làng nghề",
    ),
    (
        "lu2",
        "Nhuộm lụa bằng màu tự nhiên từ trái mặc nưa",
        "Dịch trái mặc nưa lên men tạo màu đen bền cho lụa tơ tằm sau 100 lần nhuộm phơi.",
        "nhuộm lụa; mặc nưa",
    ),
    (
        "lu3",
        "Bảo tồn làng nghề lụa Tân Châu gắn với du lịch",
        "Đề xuất tuyến du lịch làng nghề lụa và bảo tàng nghề dệt ở An Giang.",
        "làng nghề lụa; du lịch; bảo tồn",
    ),
    (
        "lu4",
        "Giống lúa thơm ST25 trên đất lúa – tôm Sóc Trăng",
        "Lúa ST25 cho gạo thơm, dẻo, năng suất 5,5 tấn/ha trên ruộng luân canh với tôm.",
        "lúa thơm; ST25",
    ),
    (
        "lu5",
        "Sấy lúa bằng máy sấy tĩnh vỉ ngang",
        "Máy sấy vỉ ngang 8 tấn/mẻ giảm tỷ lệ gạo gãy so với phơi nắng.",
        "sấy lúa; máy sấy; sau thu hoạch",
    ),
    # --- rice blast (đạo ôn) ---------------------------------------------------------------
    (
        "do1",
        "Bệnh đạo ôn trên lúa Đông Xuân ở Cần Thơ: diễn biến và phòng trừ",
        "Bệnh đạo ôn lá và cổ bông phát triển mạnh khi trời lạnh và ẩm; phun tricyclazole đúng thời điểm giảm thiệt hại.",
        "đạo ôn; lúa Đông Xuân; tricyclazole",
    ),
    (
        "do2",
        "Tuyển chọn xạ khuẩn đối kháng nấm Pyricularia oryzae gây bệnh đạo ôn",
        "Ba chủng Streptomyces ức chế trên 70% sự phát triển của nấm gây đạo ôn và được phát triển thành chế phẩm sinh học.",
        "xạ khuẩn; đạo ôn; chế phẩm sinh học",
    ),
    (
        "do3",
        "Gen kháng đạo ôn Pi-ta trong các giống lúa địa phương",
        "Chỉ thị phân tử phát hiện gen Pi-ta ở 12 trong 60 giống lúa mùa địa phương.",
        "gen kháng; đạo ôn; chỉ thị phân tử",
    ),
    (
        "do4",
        "Giải pháp ổn định sản xuất lúa vùng nhiễm bệnh vàng lùn",
        "Gieo sạ né rầy và dùng giống kháng giúp ổn định sản xuất sau dịch vàng lùn – lùn xoắn lá.",
        "vàng lùn; ổn định sản xuất",
    ),
    (
        "do5",
        "Chế phẩm Trichoderma phòng bệnh khô vằn trên lúa",
        "Chế phẩm sinh học Trichoderma harzianum giảm 50% bệnh khô vằn khi phun ở giai đoạn đẻ nhánh.",
        "Trichoderma; khô vằn; chế phẩm sinh học",
    ),
    # --- giant freshwater prawn (tôm càng xanh) ----------------------------------------
    (
        "tc1",
        "Nuôi tôm càng xanh toàn đực trong mương vườn ở Cần Thơ",
        "Tôm càng xanh toàn đực nuôi trong mương vườn đạt cỡ 25 con/kg sau sáu tháng.",
        "tôm càng xanh; toàn đực; mương vườn",
    ),
    (
        "tc2",
        "Mô hình luân canh lúa – tôm càng xanh ở Kiên Giang",
        "Thả tôm càng xanh trên ruộng lúa mùa lũ cho lợi nhuận cao hơn độc canh lúa 35%.",
        "luân canh; tôm càng xanh; Kiên Giang",
    ),
    (
        "tc3",
        "Sản xuất giống tôm càng xanh bằng hệ thống nước xanh cải tiến",
        "Ương ấu trùng tôm càng xanh trong nước xanh cải tiến đạt tỷ lệ sống 45%.",
        "giống tôm càng xanh; ương ấu trùng",
    ),
    (
        "tc4",
        "Ao nuôi tôm sú càng về cuối vụ càng cần bổ sung khoáng",
        "Tôm sú cuối vụ thiếu khoáng dễ mềm vỏ; trồng rau xanh trên bờ ao tận dụng bùn đáy.",
        "tôm sú; khoáng; bờ ao",
    ),
    (
        "tc5",
        "Tôm thẻ chân trắng nuôi trong ao lót bạt và hiện tượng tảo lam",
        "Tảo lam bùng phát làm tôm thẻ giảm ăn; giữ màu nước xanh nhạt bằng vi sinh.",
        "tôm thẻ chân trắng; tảo lam",
    ),
    # --- fish sauce (nước mắm) -------------------------------------------------------------
    (
        "nm1",
        "Quy trình sản xuất nước mắm truyền thống từ cá cơm ở Phú Quốc",
        "Cá cơm được ướp muối theo tỷ lệ 3:1 và ủ chượp 12 tháng trong thùng gỗ; nước mắm đạt độ đạm trên 30 °N.",
        "nước mắm; cá cơm; Phú Quốc",
    ),
    (
        "nm2",
        "Kiểm soát histamin trong nước mắm bảo đảm an toàn thực phẩm",
        "Rút ngắn thời gian từ đánh bắt đến ướp muối và ướp đá cá cơm giữ histamin dưới 200 ppm.",
        "histamin; nước mắm; an toàn thực phẩm",
    ),
    (
        "nm3",
        "Rút ngắn thời gian chượp nước mắm bằng enzyme protease",
        "Bổ sung protease vào chượp cá cơm rút ngắn thời gian thủy phân từ 12 xuống 4 tháng.",
        "chượp; protease; nước mắm",
    ),
    (
        "nm4",
        "Nước thải chế biến mắm cá linh và xử lý bằng đất ngập nước",
        "Hệ thống đất ngập nước kiến tạo giảm 80% BOD của nước thải cơ sở làm mắm cá linh ở Châu Đốc.",
        "nước thải; mắm cá linh; đất ngập nước",
    ),
    (
        "nm5",
        "Chế biến khô cá cơm và an toàn thực phẩm tại cơ sở nhỏ",
        "Khảo sát điều kiện vệ sinh của 25 cơ sở sấy khô cá cơm ở Kiên Giang.",
        "khô cá cơm; an toàn thực phẩm",
    ),
    # --- sandy ridges (giồng cát) ----------------------------------------------------------
    (
        "gc1",
        "Cải tạo đất giồng cát trồng hành tím ở Vĩnh Châu, Sóc Trăng",
        "Bón phân chuồng và phủ rơm tăng khả năng giữ ẩm của đất giồng cát, năng suất hành tím tăng 20%.",
        "giồng cát; hành tím; Vĩnh Châu",
    ),
    (
        "gc2",
        "Kỹ thuật cải tạo vườn xoài trên giồng cát ven biển Trà Vinh",
        "Vườn xoài già cỗi được tỉa cành, bón hữu cơ và lắp tưới nhỏ giọt giúp năng suất phục hồi sau hai năm.",
        "cải tạo vườn; xoài; giồng cát",
    ),
    (
        "gc3",
        "Đặc điểm đất giồng cát và khả năng giữ nước cho cây ăn trái",
        "Đất giồng cát có sa cấu cát pha, dung tích giữ nước thấp; cần bổ sung chất hữu cơ trước khi lập vườn.",
        "đất giồng cát; giữ nước; cây ăn trái",
    ),
    (
        "gc4",
        "Phủ gốc bằng rơm giữ ẩm cho vườn cây trên đất cát ven biển Bến Tre",
        "Phủ rơm dày 10 cm giảm bốc hơi nước và nhiệt độ đất vào mùa khô cho vườn cây ăn trái trên đất cát.",
        "phủ gốc; giữ ẩm; đất cát ven biển",
    ),
    (
        "gc5",
        "Giải pháp cải tạo vườn tạp ở Phong Điền",
        "Chuyển vườn tạp sang trồng chôm chôm và sầu riêng giống mới; hỗ trợ vốn và kỹ thuật cho nông hộ.",
        "vườn tạp; cải tạo vườn; Phong Điền",
    ),
    (
        "gc6",
        "Hành tím Vĩnh Châu: chỉ dẫn địa lý và thị trường",
        "Hành tím trồng trên đất giồng Vĩnh Châu có mùi thơm đặc trưng; chỉ dẫn địa lý giúp tăng giá bán.",
        "hành tím; chỉ dẫn địa lý; Vĩnh Châu",
    ),
    # --- digital transformation (chuyển đổi số) -----------------------------------------
    (
        "cds1",
        "Chuyển đổi số trong quản lý nông nghiệp thành phố Cần Thơ",
        "Cơ sở dữ liệu vùng trồng, nhật ký điện tử và bản đồ số giúp ngành nông nghiệp quản lý sản xuất.",
        "chuyển đổi số; quản lý nông nghiệp",
    ),
    (
        "cds2",
        "Chuyển đổi số ở hợp tác xã nông nghiệp: thực trạng và giải pháp",
        "Khảo sát 60 hợp tác xã cho thấy thiếu nhân lực là rào cản lớn nhất của chuyển đổi số.",
        "chuyển đổi số; hợp tác xã",
    ),
    (
        "cds3",
        "Chuyển đổi cơ cấu cây trồng trên đất lúa kém hiệu quả: số liệu điều tra 2021",
        "Số liệu từ 500 hộ cho thấy chuyển đổi sang cây ăn trái tăng thu nhập nhưng rủi ro thị trường cao.",
        "chuyển đổi cơ cấu cây trồng; đất lúa",
    ),
    (
        "cds4",
        "Số hóa hồ sơ địa chính phục vụ chuyển đổi mục đích sử dụng đất",
        "Hồ sơ địa chính giấy được quét và số hóa, rút ngắn thời gian giải quyết thủ tục chuyển đổi đất.",
        "số hóa; địa chính",
    ),
    (
        "cds5",
        "Sàn thương mại điện tử cho nông sản trong tiến trình chuyển đổi số",
        "Nông sản của 30 hợp tác xã được đưa lên sàn thương mại điện tử; doanh thu trực tuyến tăng gấp đôi.",
        "thương mại điện tử; chuyển đổi số; nông sản",
    ),
    # --- solar energy (năng lượng mặt trời) ----------------------------------------------
    (
        "nl1",
        "Điện năng lượng mặt trời áp mái cho trang trại nuôi tôm",
        "Hệ thống điện mặt trời 50 kWp cung cấp 40% điện năng cho quạt nước và máy bơm của trang trại tôm.",
        "năng lượng mặt trời; điện áp mái; nuôi tôm",
    ),
    (
        "nl2",
        "Máy sấy nông sản dùng năng lượng mặt trời",
        "Máy sấy kiểu nhà kính dùng năng lượng mặt trời sấy chuối và khô cá, tiết kiệm 60% chi phí nhiên liệu.",
        "máy sấy; năng lượng mặt trời; nông sản",
    ),
    (
        "nl3",
        "Ảnh hưởng của ánh sáng mặt trời đến năng suất và hàm lượng đường trong xoài",
        "Cành xoài phơi nắng nhiều cho trái có hàm lượng đường và năng suất cao hơn cành bị che bóng.",
        "ánh sáng; năng suất; xoài",
    ),
    (
        "nl4",
        "Bơm nước tưới bằng pin năng lượng mặt trời cho vùng cù lao",
        "Bơm năng lượng mặt trời 2 kW tưới cho 3 ha rau màu ở cù lao Tân Lộc mà không cần điện lưới.",
        "bơm tưới; năng lượng mặt trời",
    ),
    # --- lúa–tôm, salt-tolerant rice -----------------------------------------------------
    (
        "lt1",
        "Hiệu quả kinh tế của mô hình lúa – tôm ở Phước Long, Bạc Liêu",
        "Mô hình một vụ lúa một vụ tôm cho lợi nhuận 85 triệu đồng/ha/năm, cao hơn chuyên tôm quảng canh.",
        "lúa – tôm; hiệu quả kinh tế; Bạc Liêu",
    ),
    (
        "lt2",
        "Chọn giống lúa chịu mặn cho ruộng tôm – lúa",
        "Các giống OM5629 và Một bụi đỏ phù hợp với đất nhiễm mặn sau vụ tôm.",
        "giống lúa chịu mặn; tôm – lúa",
    ),
    (
        "lt3",
        "Luân canh tôm sú và lúa mùa ở Hồng Dân, Bạc Liêu: thu nhập nông hộ",
        "Nông hộ luân canh tôm sú với lúa mùa có thu nhập ổn định và ít rủi ro dịch bệnh hơn nuôi tôm chuyên canh.",
        "tôm sú; lúa mùa; thu nhập",
    ),
    (
        "lt4",
        "Đánh giá hiệu quả kinh tế của mô hình trồng rau an toàn",
        "Mô hình rau an toàn theo VietGAP có lợi nhuận cao hơn 25% so với canh tác truyền thống.",
        "rau an toàn; hiệu quả kinh tế",
    ),
    (
        "li1",
        "Chọn tạo giống lúa chịu mặn bằng chỉ thị phân tử",
        "Chỉ thị SSR liên kết với QTL Saltol được dùng để chọn lọc các dòng lúa chịu mặn qua lai hồi giao.",
        "chọn tạo giống; lúa chịu mặn; chỉ thị phân tử",
    ),
    (
        "li2",
        "Khảo nghiệm giống lúa OM chịu mặn cho vùng ven biển Sóc Trăng",
        "Tám giống lúa chịu mặn được khảo nghiệm tại Trần Đề và Vĩnh Châu; OM9577 cho năng suất cao nhất.",
        "lúa chịu mặn; khảo nghiệm; ven biển",
    ),
    (
        "li3",
        "Sàng lọc gen chịu mặn Saltol trong tập đoàn lúa mùa",
        "Kỹ thuật PCR phát hiện alen Saltol ở 18 giống lúa mùa có khả năng chịu mặn ở giai đoạn mạ.",
        "gen Saltol; chịu mặn; sàng lọc",
    ),
    # --- maize (ngô, bắp), okra -----------------------------------------------------------
    (
        "ngo1",
        "Giống ngô lai chịu hạn trên đất bãi bồi sông Hậu",
        "Năm giống ngô lai được trồng trên bãi bồi mùa khô; giống CP888 cho năng suất 8 tấn/ha.",
        "ngô lai; chịu hạn; bãi bồi",
    ),
    (
        "ngo2",
        "Sâu keo mùa thu hại ngô và biện pháp quản lý",
        "Sâu keo mùa thu Spodoptera frugiperda gây hại nặng trên ngô giai đoạn xoắn nõn; dùng bẫy pheromone và thuốc sinh học.",
        "sâu keo mùa thu; ngô",
    ),
    (
        "ngo3",
        "Trồng bắp nếp sau lúa ở Đồng Tháp",
        "Bắp nếp trồng sau lúa Đông Xuân trên đất không làm đất cho lãi 40 triệu đồng/ha.",
        "bắp nếp; luân canh",
    ),
    (
        "ngo4",
        "Bắp lai ăn tươi: hiệu quả kinh tế ở An Giang",
        "Bắp lai ngọt thu hoạch trái tươi sau 70 ngày, bán cho thương lái và chợ đầu mối.",
        "bắp lai; hiệu quả kinh tế",
    ),
    (
        "ngo5",
        "Sâu đục thân hại bắp và thiên địch trên ruộng luân canh",
        "Sâu đục thân Ostrinia furnacalis gây gãy cây bắp; ong mắt đỏ ký sinh trứng giảm 50% mật số.",
        "sâu đục thân; bắp; thiên địch",
    ),
    # --- peanut (đậu phộng, lạc) -----------------------------------------------------------
    (
        "lac1",
        "Trồng đậu phộng trên đất giồng cát Trà Vinh",
        "Đậu phộng giống mỡ trồng vụ Xuân Hè trên giồng cát cần bón vôi để tăng tỷ lệ hạt chắc.",
        "đậu phộng; giồng cát; Trà Vinh",
    ),
    (
        "lac2",
        "Giống lạc L14 năng suất cao cho vùng ven biển",
        "Giống lạc L14 đạt 4 tấn quả khô/ha trên đất cát pha ven biển Sóc Trăng.",
        "giống lạc; L14",
    ),
    (
        "lac3",
        "Bệnh héo xanh trên cây lạc và luân canh với lúa",
        "Luân canh lạc với lúa nước làm giảm mật số vi khuẩn gây héo xanh trong đất.",
        "héo xanh; cây lạc; luân canh",
    ),
    (
        "lac4",
        "Liên lạc nông dân qua Zalo trong dự báo dịch hại",
        "Nhóm Zalo giúp cán bộ khuyến nông liên lạc với nông dân và gửi cảnh báo dịch hại hằng tuần.",
        "liên lạc; Zalo; khuyến nông",
    ),
    # --- sesame (mè, vừng) and batch (mẻ) ------------------------------------------------
    (
        "me1",
        "Trồng mè đen trên đất lúa ở Đồng Tháp",
        "Mè đen gieo sau lúa Đông Xuân chịu hạn tốt, năng suất 1,2 tấn/ha và giá bán ổn định.",
        "mè đen; đất lúa",
    ),
    (
        "me2",
        "Hàm lượng sesamin trong hạt vừng đen",
        "Hạt vừng đen thu ở An Giang chứa sesamin và sesamolin cao, thích hợp ép dầu.",
        "vừng đen; sesamin",
    ),
    (
        "me3",
        "Kỹ thuật thu hoạch và phơi vừng giảm rơi hạt",
        "Cắt cây vừng khi 2/3 số quả chuyển màu và phơi dựng giảm thất thoát hạt 15%.",
        "vừng; thu hoạch",
    ),
    (
        "me4",
        "Sấy cá khô theo mẻ bằng máy sấy bơm nhiệt",
        "Mỗi mẻ sấy 200 kg cá trong 8 giờ; chất lượng cá khô tốt hơn phơi nắng.",
        "sấy theo mẻ; bơm nhiệt",
    ),
    # --- cassava (khoai mì, sắn) -----------------------------------------------------------
    (
        "sm1",
        "Tinh bột khoai mì và sản phẩm bánh tráng",
        "Tinh bột khoai mì phối trộn với bột gạo cho bánh tráng dẻo, ít gãy.",
        "tinh bột khoai mì; bánh tráng",
    ),
    (
        "sm2",
        "Sắn lát khô làm thức ăn chăn nuôi",
        "Sắn lát phơi khô thay thế 30% bắp trong thức ăn cho gà thả vườn.",
        "sắn lát; thức ăn chăn nuôi",
    ),
    (
        "sm3",
        "Bệnh khảm lá sắn và giống sắn kháng bệnh",
        "Bệnh khảm lá sắn do virus truyền qua bọ phấn; giống HN1 kháng bệnh tốt.",
        "khảm lá sắn; giống kháng",
    ),
    (
        "sm4",
        "Khoai lang tím Bình Tân xuất khẩu",
        "Khoai lang tím Nhật trồng trên đất cát pha ở Bình Tân được xuất khẩu sang Trung Quốc.",
        "khoai lang; Bình Tân",
    ),
    (
        "sm5",
        "Sợi mì gạo từ gạo lứt",
        "Mì gạo lứt có chỉ số đường huyết thấp, sợi dai khi thêm 5% tinh bột biến tính.",
        "mì gạo; gạo lứt",
    ),
    # --- citrus (cây có múi) ---------------------------------------------------------------
    (
        "cm1",
        "Quản lý rầy chổng cánh trên cây ăn quả có múi",
        "Phun dầu khoáng và trồng ổi xen giảm mật số rầy chổng cánh, môi giới truyền bệnh vàng lá gân xanh.",
        "rầy chổng cánh; cây ăn quả có múi",
    ),
    (
        "cm2",
        "Sâu vẽ bùa trên cây ăn trái có múi ở Hậu Giang",
        "Sâu vẽ bùa hại lá non cam, quýt, bưởi; phun thuốc khi lộc non dài 1–2 cm.",
        "sâu vẽ bùa; cây có múi",
    ),
    (
        "cm3",
        "Cam sành ghép trên gốc chanh Volka",
        "Cây cam sành ghép gốc chanh Volka sinh trưởng mạnh, chịu úng tốt hơn gốc bưởi.",
        "cam sành; gốc ghép",
    ),
    # --- other accented queries ----------------------------------------------------------
    (
        "rt1",
        "Phục hồi rừng tràm U Minh Hạ sau cháy rừng",
        "Tràm tái sinh tự nhiên sau cháy phủ kín 60% diện tích sau ba năm khi mực nước được giữ cao.",
        "rừng tràm; U Minh Hạ; phục hồi",
    ),
    (
        "rt2",
        "Nuôi ong mật dưới tán rừng tràm U Minh",
        "Gác kèo ong trong rừng tràm U Minh cho sản lượng mật 20 lít/kèo/năm.",
        "ong mật; rừng tràm; gác kèo",
    ),
    (
        "rt3",
        "Trữ lượng các-bon của rừng tràm Trà Sư",
        "Sinh khối và trữ lượng các-bon của rừng tràm trồng 10–20 năm tuổi được ước tính từ ô tiêu chuẩn.",
        "các-bon; rừng tràm",
    ),
    (
        "rt4",
        "Rừng ngập mặn ven biển Sóc Trăng bị xói lở",
        "Diện tích rừng ngập mặn giảm 8% trong 10 năm do xói lở bờ biển.",
        "rừng ngập mặn; xói lở",
    ),
    (
        "sr1",
        "Xử lý ra hoa sầu riêng Ri6 bằng paclobutrazol",
        "Phun paclobutrazol và xiết nước giúp sầu riêng Ri6 ra hoa tập trung vụ nghịch.",
        "sầu riêng; ra hoa; paclobutrazol",
    ),
    (
        "sr2",
        "Bệnh xì mủ trên sầu riêng do Phytophthora palmivora",
        "Bệnh xì mủ thân gây chảy nhựa và chết cây; quét thuốc gốc phosphonate và bón Trichoderma.",
        "xì mủ; sầu riêng; Phytophthora",
    ),
    (
        "sr3",
        "Cây ăn trái đặc sản riêng của Cái Mơn",
        "Chôm chôm, măng cụt và các cây giống đặc trưng riêng của làng nghề cây giống Cái Mơn.",
        "cây giống; Cái Mơn",
    ),
    (
        "vs1",
        "Phân lập vi khuẩn phân giải lân từ đất trồng lúa",
        "Các chủng Pseudomonas và Bacillus phân giải lân khó tan được tuyển chọn làm phân bón vi sinh.",
        "vi khuẩn phân giải lân; phân vi sinh",
    ),
    (
        "vs2",
        "Phân bón vi sinh phân giải lân cho cây khóm trên đất phèn",
        "Bổ sung vi sinh vật phân giải lân giảm 50% lượng lân hóa học cần bón cho khóm.",
        "vi sinh vật phân giải lân; khóm",
    ),
    (
        "vs3",
        "Vi sinh vật trong ao nuôi tôm và chất lượng nước",
        "Mật số vi sinh vật tổng số và Vibrio trong ao nuôi tôm thẻ được theo dõi suốt vụ nuôi.",
        "vi sinh vật; ao nuôi tôm",
    ),
]

BACKGROUND_SUBJECTS = [
    ("Ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh y khoa", "y tế số; trí tuệ nhân tạo"),
    ("Tỷ lệ tăng huyết áp ở người cao tuổi", "tăng huyết áp; người cao tuổi"),
    ("Chất lượng dạy học trực tuyến ở trường trung học phổ thông", "giáo dục; dạy học trực tuyến"),
    ("Phát triển du lịch cộng đồng ở cồn Sơn", "du lịch cộng đồng; cồn Sơn"),
    ("Hiệu quả sử dụng vốn vay ưu đãi của hộ nghèo", "tín dụng; hộ nghèo"),
    ("Quản lý chất thải rắn sinh hoạt đô thị", "chất thải rắn; đô thị"),
    ("Mạng cảm biến không dây giám sát chất lượng không khí", "cảm biến; không khí"),
    ("Vật liệu xây dựng từ tro xỉ nhà máy nhiệt điện", "vật liệu xây dựng; tro xỉ"),
    ("Kỹ năng mềm của sinh viên khối ngành kinh tế", "kỹ năng mềm; sinh viên"),
    ("Tiêm chủng mở rộng cho trẻ em dưới một tuổi", "tiêm chủng; trẻ em"),
    ("Giảm ngập úng đô thị bằng hồ điều hòa", "ngập úng đô thị; hồ điều hòa"),
    ("Văn hóa ẩm thực Khmer Nam Bộ", "văn hóa Khmer; ẩm thực"),
    ("Nhu cầu nhà ở của công nhân khu công nghiệp", "nhà ở; công nhân"),
    ("Sức khỏe tâm thần của học sinh trung học", "sức khỏe tâm thần; học sinh"),
    ("Hệ thống quản lý văn bản điện tử ở cơ quan nhà nước", "văn bản điện tử; hành chính"),
    ("Tái chế nhựa phế thải thành vật liệu composite", "tái chế nhựa; composite"),
    ("Kháng kháng sinh của vi khuẩn gây viêm phổi bệnh viện", "kháng kháng sinh; bệnh viện"),
    ("Logistics hàng hóa qua cảng Cái Cui", "logistics; cảng biển"),
    ("Bảo tồn kiến trúc nhà cổ Bình Thủy", "nhà cổ; kiến trúc"),
    ("Động lực làm việc của giáo viên mầm non", "giáo viên mầm non; động lực"),
    ("Chuỗi cung ứng xoài cát Hòa Lộc", "xoài; chuỗi cung ứng"),
    ("Mô hình trồng chuối già Nam Mỹ", "chuối; mô hình"),
    ("Trồng chôm chôm Java theo hướng VietGAP", "chôm chôm; VietGAP"),
    ("Chăm sóc vườn măng cụt già cỗi", "măng cụt; chăm sóc"),
    ("Nuôi gà thả vườn an toàn dịch bệnh", "gà thả vườn; an toàn dịch bệnh"),
    ("Nuôi vịt chạy đồng trên ruộng sau thu hoạch", "vịt chạy đồng; chăn nuôi"),
    ("Sản xuất phân hữu cơ từ lục bình", "phân hữu cơ; lục bình"),
    (
        "Cơ giới hóa khâu gieo sạ bằng máy bay không người lái",
        "máy bay không người lái; cơ giới hóa",
    ),
    ("Hành vi tiêu dùng trực tuyến của giới trẻ", "tiêu dùng trực tuyến; giới trẻ"),
    ("Quản trị rủi ro tín dụng ngân hàng thương mại", "rủi ro tín dụng; ngân hàng"),
    ("Ô nhiễm tiếng ồn giao thông ở nội đô", "tiếng ồn; giao thông"),
    ("Đánh giá năng lực cạnh tranh cấp tỉnh", "năng lực cạnh tranh; PCI"),
    ("Điều trị đái tháo đường típ 2 tại tuyến huyện", "đái tháo đường; điều trị"),
    ("Chương trình sữa học đường và tình trạng dinh dưỡng trẻ", "dinh dưỡng; trẻ em"),
    ("Hệ thống thông tin địa lý quản lý cây xanh đô thị", "GIS; cây xanh đô thị"),
    ("Lưu trữ dữ liệu lớn cho cơ quan thống kê", "dữ liệu lớn; thống kê"),
    ("Phát triển thương hiệu gạo vùng", "thương hiệu; gạo"),
    ("Chất lượng dịch vụ hành chính công một cửa", "hành chính công; một cửa"),
    ("Nghệ thuật đờn ca tài tử Nam Bộ", "đờn ca tài tử; di sản"),
    ("Pin lưu trữ điện cho lưới điện nông thôn", "pin lưu trữ; lưới điện"),
]
BACKGROUND_PLACES = [
    "Cần Thơ",
    "An Giang",
    "Kiên Giang",
    "Hậu Giang",
    "Vĩnh Long",
    "Tiền Giang",
    "Sóc Trăng",
    "Trà Vinh",
    "Cà Mau",
    "Bạc Liêu",
    "Long An",
    "Đồng Tháp",
]
BACKGROUND_ANGLES = [
    ("thực trạng và giải pháp", "Nghiên cứu khảo sát thực trạng và đề xuất nhóm giải pháp ưu tiên"),
    ("các yếu tố ảnh hưởng", "Mô hình hồi quy xác định các yếu tố ảnh hưởng chính"),
    ("một nghiên cứu trường hợp", "Nghiên cứu trường hợp với phỏng vấn sâu và thảo luận nhóm"),
    (
        "đánh giá giai đoạn 2015–2022",
        "Số liệu thứ cấp giai đoạn 2015–2022 được tổng hợp và phân tích",
    ),
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Đoàn",
    "Châu",
    "Lâm",
    "Tăng",
]
MIDDLE = ["Văn", "Thị", "Hoàng", "Minh", "Ngọc", "Thanh", "Quốc", "Kim", "Hữu", "Thúy"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hiếu",
    "Hùng",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trí",
    "Tuấn",
    "Uyên",
    "Vy",
    "Yến",
]

# (kind, text, {doc key: grade}); unlisted documents are grade 0.
QUERIES = [
    # accented: ordinary queries typed with marks
    ("accented", "rừng tràm U Minh", {"rt1": 2, "rt2": 2, "rt3": 1, "dau5": 1}),
    ("accented", "sầu riêng", {"sr1": 2, "sr2": 2, "heo6": 2, "sal3": 1, "gc5": 1}),
    ("accented", "vi sinh vật phân giải lân", {"vs1": 2, "vs2": 2}),
    ("accented", "bệnh vàng lá gân xanh", {"buoi8": 2, "cm1": 1}),
    ("accented", "nuôi ong mật", {"rt2": 2}),
    ("accented", "hành tím Vĩnh Châu", {"gc1": 2, "gc6": 2}),
    ("accented", "cá lóc", {"ca8": 2, "ca9": 2}),
    ("accented", "bệnh xì mủ sầu riêng", {"sr2": 2, "heo6": 1}),
    # unaccented: the same kind of query typed without marks
    ("unaccented", "xam nhap man", {"sal1": 2, "sal2": 2, "sal3": 2, "sal4": 1, "bd1": 1}),
    ("unaccented", "ca tra", {"ca1": 2, "ca2": 2, "ca3": 2, "ca9": 1, "dau7": 1}),
    ("unaccented", "thanh long ruot do", {"tl3": 2, "tl1": 1, "tl2": 1, "tl6": 1, "tl7": 1}),
    ("unaccented", "benh dao on", {"do1": 2, "do2": 2, "do3": 2, "bv3": 1}),
    ("unaccented", "dau xanh", {"dau1": 2, "dau6": 2}),
    ("unaccented", "nam rom", {"nam1": 2, "nam7": 2}),
    (
        "unaccented",
        "dat phen",
        {"dp1": 2, "dp2": 2, "dp3": 2, "dp5": 2, "dua7": 1, "dua11": 1, "vs2": 1},
    ),
    ("unaccented", "hanh tim vinh chau", {"gc1": 2, "gc6": 2}),
    # diacritics: one-syllable words whose meaning depends on the marks
    (
        "diacritics",
        "mặn",
        {
            "sal1": 2,
            "sal2": 2,
            "sal3": 2,
            "sal4": 2,
            "sal6": 2,
            "sal7": 2,
            "li1": 2,
            "li2": 2,
            "li3": 2,
            "lt2": 2,
            "bd1": 1,
            "de6": 1,
            "rt4": 1,
            "du5": 1,
        },
    ),
    ("diacritics", "mận", {"man1": 2, "man2": 2, "man3": 2, "man4": 2, "sal5": 2}),
    ("diacritics", "dứa", {"dua7": 2, "dua8": 2, "dua11": 2, "dua10": 1}),
    ("diacritics", "dừa", {"dua1": 2, "dua2": 2, "dua3": 2, "dua10": 2, "dua5": 1}),
    ("diacritics", "dưa", {"dua4": 2, "dua5": 2, "dua6": 2, "dua12": 2}),
    ("diacritics", "héo", {"heo5": 2, "heo6": 2, "dua6": 2, "dua12": 2, "lac3": 2}),
    (
        "diacritics",
        "bưởi",
        {"buoi1": 2, "buoi2": 2, "buoi3": 2, "buoi6": 2, "buoi8": 2, "cm2": 1, "cm3": 1, "sal3": 1},
    ),
    (
        "diacritics",
        "nấm",
        {
            "nam1": 2,
            "nam2": 2,
            "nam3": 2,
            "nam7": 2,
            "nam4": 1,
            "dua6": 1,
            "do2": 1,
            "tl1": 1,
            "dau6": 1,
        },
    ),
    ("diacritics", "lụa", {"lu1": 2, "lu2": 2, "lu3": 2}),
    ("diacritics", "sen", {"sen1": 2, "sen2": 2, "sen5": 2, "bd3": 1}),
    # phrase: quoted phrases stay exact
    ("phrase", '"xâm nhập mặn"', {"sal1": 2, "sal2": 2, "sal3": 2, "sal4": 1, "bd1": 1}),
    ("phrase", '"cá tra"', {"ca1": 2, "ca2": 2, "ca3": 2, "ca9": 1, "dau7": 1}),
    ("phrase", '"tôm càng xanh"', {"tc1": 2, "tc2": 2, "tc3": 2}),
    ("phrase", '"chuyển đổi số"', {"cds1": 2, "cds2": 2, "cds5": 2}),
    ("phrase", '"năng lượng mặt trời"', {"nl1": 2, "nl2": 2, "nl4": 2}),
    ("phrase", '"bảo vệ thực vật"', {"bv1": 2, "bv2": 2, "bv3": 2, "bv6": 2}),
    (
        "phrase",
        '"đất phèn"',
        {"dp1": 2, "dp2": 2, "dp3": 2, "dp5": 2, "dua7": 1, "dua11": 1, "vs2": 1},
    ),
    # compound: multi-syllable words typed without quotes
    ("compound", "công nghệ thực phẩm", {"cn1": 2, "cn2": 2, "cn3": 2}),
    ("compound", "thanh long", {"tl1": 2, "tl2": 2, "tl3": 2, "tl6": 2, "tl7": 2}),
    ("compound", "bảo vệ thực vật", {"bv1": 2, "bv2": 2, "bv3": 2, "bv6": 2}),
    ("compound", "biến đổi khí hậu", {"bd1": 2, "bd2": 2, "bd3": 2, "bd5": 1}),
    ("compound", "tôm càng xanh", {"tc1": 2, "tc2": 2, "tc3": 2}),
    ("compound", "nước mắm", {"nm1": 2, "nm2": 2, "nm3": 2}),
    ("compound", "chuyển đổi số", {"cds1": 2, "cds2": 2, "cds5": 2}),
    ("compound", "năng lượng mặt trời", {"nl1": 2, "nl2": 2, "nl4": 2}),
    # đ/Đ against d
    ("dd", "đê bao", {"de1": 2, "de2": 2, "de3": 1, "de6": 1}),
    ("dd", "dê", {"de4": 2, "de5": 2, "de7": 2}),
    ("dd", "đậu", {"dau1": 2, "dau2": 2, "dau3": 2, "dau6": 2, "lac1": 1, "heo2": 1}),
    ("dd", "đường mía", {"du2": 2, "du6": 2}),
    ("dd", "dương liễu", {"du4": 2, "du7": 2}),
    ("dd", "đường thốt nốt", {"du1": 2}),
    ("dd", "Đồng Tháp Mười", {"dp3": 2, "sen5": 1, "sen1": 1}),
    # upper case
    ("upper", "XÂM NHẬP MẶN", {"sal1": 2, "sal2": 2, "sal3": 2, "sal4": 1, "bd1": 1}),
    ("upper", "BƯỞI DA XANH", {"buoi1": 2, "buoi6": 2}),
    (
        "upper",
        "ĐẤT PHÈN",
        {"dp1": 2, "dp2": 2, "dp3": 2, "dp5": 2, "dua7": 1, "dua11": 1, "vs2": 1},
    ),
    ("upper", "ĐÊ BIỂN", {"de3": 2, "de6": 2}),
    ("upper", "BỆNH GAN THẬN MỦ CÁ TRA", {"ca2": 2, "ca7": 2}),
    ("upper", "CÔNG NGHỆ THỰC PHẨM", {"cn1": 2, "cn2": 2, "cn3": 2}),
    ("upper", "NẤM RƠM", {"nam1": 2, "nam7": 2}),
    # long natural-language queries
    (
        "long",
        "giải pháp cải tạo vườn cây trên đất giồng cát ven biển",
        {"gc1": 2, "gc2": 2, "gc3": 2, "gc4": 2, "lac1": 1},
    ),
    (
        "long",
        "nghiên cứu quy trình chế biến nước mắm từ cá cơm đảm bảo an toàn thực phẩm",
        {"nm1": 2, "nm2": 2, "nm3": 2, "nm5": 1},
    ),
    (
        "long",
        "biện pháp phòng trừ bệnh đạo ôn trên lúa bằng chế phẩm sinh học",
        {"do2": 2, "do1": 2, "do3": 1, "nam3": 1, "do5": 1},
    ),
    (
        "long",
        "đánh giá hiệu quả kinh tế của mô hình nuôi tôm kết hợp trồng lúa ở Bạc Liêu",
        {"lt1": 2, "lt3": 2, "lt2": 1, "tc2": 1},
    ),
    (
        "long",
        "ứng dụng công nghệ sinh học chọn tạo giống lúa chịu mặn cho vùng ven biển",
        {"li1": 2, "li2": 2, "li3": 2, "lt2": 1, "sal7": 1},
    ),
    (
        "long",
        "ảnh hưởng của xâm nhập mặn đến sản xuất lúa ở các tỉnh ven biển",
        {"sal1": 2, "sal2": 1, "sal4": 1, "sal6": 1, "li2": 1, "sal7": 1},
    ),
    (
        "long",
        "làm sao bảo quản trái thanh long sau thu hoạch để xuất khẩu",
        {"tl6": 2, "tl7": 2},
    ),
    (
        "long",
        "tác động của biến đổi khí hậu đến sinh kế người dân vùng ven biển",
        {"bd1": 2, "bd5": 2, "bd2": 1, "bd3": 1},
    ),
    # synonyms and regional words (need the thesaurus)
    ("synonym", "bắp", {"ngo1": 2, "ngo2": 2, "ngo3": 2, "ngo4": 2, "ngo5": 2, "sm2": 1}),
    ("synonym", "sâu hại ngô", {"ngo2": 2, "ngo5": 2, "ngo1": 1}),
    ("synonym", "đậu phộng", {"lac1": 2, "lac2": 2, "lac3": 2}),
    ("synonym", "mè", {"me1": 2, "me2": 2, "me3": 2}),
    ("synonym", "khoai mì", {"sm1": 2, "sm2": 2, "sm3": 2}),
    ("synonym", "chăn nuôi heo", {"heo1": 2, "heo2": 2, "heo3": 2, "heo4": 2}),
    ("synonym", "cây ăn quả có múi", {"cm1": 2, "cm2": 2, "cm3": 2, "buoi8": 2}),
    (
        "synonym",
        "khóm",
        {"dua7": 2, "dua8": 2, "dua9": 2, "dua11": 2, "dp5": 1, "vs2": 1, "tl8": 1},
    ),
]

BACKGROUND_COUNT = 130


def name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(20261129)
    documents = []
    keys = set()
    for key, title, abstract, keywords in DOCS:
        assert key not in keys, key
        keys.add(key)
        documents.append(
            {
                "id": key,
                "title": title,
                "abstract": abstract,
                "keywords": keywords,
                "authors": [name(rng) for _ in range(rng.randint(1, 4))],
                "year": rng.randint(2008, 2025),
            }
        )
    combos = [
        (subject, place, angle)
        for subject in BACKGROUND_SUBJECTS
        for place in BACKGROUND_PLACES
        for angle in BACKGROUND_ANGLES
    ]
    for number, ((subject, keywords), place, (angle, method)) in enumerate(
        rng.sample(combos, BACKGROUND_COUNT), start=1
    ):
        documents.append(
            {
                "id": f"bg{number}",
                "title": f"{subject} ở {place}: {angle}",
                "abstract": f"{method} về {subject[0].lower() + subject[1:]} tại {place}. "
                f"Kết quả là cơ sở cho các sở, ngành của {place} xây dựng kế hoạch.",
                "keywords": f"{keywords}; {place}",
                "authors": [name(rng) for _ in range(rng.randint(1, 4))],
                "year": rng.randint(2008, 2025),
            }
        )
    queries = []
    for number, (kind, text, grades) in enumerate(QUERIES, start=1):
        unknown = set(grades) - keys
        assert not unknown, (text, unknown)
        queries.append({"id": f"q{number}", "kind": kind, "text": text, "grades": grades})
    return documents, queries


def main() -> None:
    documents, queries = build()
    (HERE / "documents.json").write_text(
        json.dumps(documents, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "queries.json").write_text(
        json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(documents)} documents, {len(queries)} queries")


if __name__ == "__main__":
    main()
