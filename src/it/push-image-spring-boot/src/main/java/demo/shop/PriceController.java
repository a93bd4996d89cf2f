package demo.shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PriceController {

  @GetMapping("/price")
  String price() {
    return "42";
  }
}
